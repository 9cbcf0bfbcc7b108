package io.duckload.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

/**
 * The published OpenLineage JSON Schemas (draft 2020-12), applied with a real validator (networknt
 * json-schema-validator) to events as duckload serialized them. The schemas are read from the copy in
 * {@code ../shared/specs/openlineage} ({@code index.json} maps each published URL to its file; another copy with
 * {@code -Dopenlineage.specs=<dir>}); documents below {@code serviceBase} are fetched over HTTP from the running
 * service, without credentials, exactly at their {@code _schemaURL}. Nothing is fetched from anywhere else.
 */
public final class OpenLineageSpec {

    /** Where OpenLineage publishes its schemas: the facets the spec defines live below {@code facets/}. */
    public static final String PUBLISHED = "https://openlineage.io/spec/";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Where a dataset's facets sit in an event, relative to the dataset. */
    private static final List<String> DATASET_FACETS = List.of("facets", "inputFacets", "outputFacets");

    private final Path specs;
    private final Map<String, String> index;
    private final String serviceBase;
    private final SchemaRegistry registry;

    /** The spec, with documents below {@code serviceBase} (e.g. {@code http://127.0.0.1:8123}) served by duckload. */
    public OpenLineageSpec(String serviceBase) {
        this.specs = Path.of(System.getProperty("openlineage.specs", "../shared/specs/openlineage"));
        this.serviceBase = serviceBase;
        try {
            this.index = MAPPER.readValue(specs.resolve("index.json").toFile(), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException("the OpenLineage schemas are not at " + specs.toAbsolutePath()
                    + " (see ../shared/specs/openlineage/README.md, or set -Dopenlineage.specs)", e);
        }
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                .schemas(this::document));
    }

    /**
     * Every violation in {@code event}: of the definition its {@code schemaURL} names (which must be the spec's
     * {@code RunEvent}); of each facet (run, job, dataset, input and output facets) against the definition its
     * {@code _schemaURL} names; a facet key that the facet's schema document does not declare (so an official
     * facet must use the spec's key and a custom one its own schema's); a custom facet without the
     * {@code duckload_} prefix. Empty when the event follows the spec to the letter.
     */
    public List<String> violations(JsonNode event) {
        List<String> violations = new ArrayList<>();
        String schemaUrl = event.path("schemaURL").asText();
        if (!schemaUrl.startsWith(PUBLISHED) || !schemaUrl.endsWith("/OpenLineage.json#/$defs/RunEvent")) {
            violations.add("schemaURL " + schemaUrl + " does not name the spec's RunEvent definition");
        }
        violations.addAll(validate("event", event, schemaUrl));
        checkFacets("run.facets", event.path("run").path("facets"), violations);
        checkFacets("job.facets", event.path("job").path("facets"), violations);
        for (String side : List.of("inputs", "outputs")) {
            for (int i = 0; i < event.path(side).size(); i++) {
                for (String facets : DATASET_FACETS) {
                    String where = side + "[" + i + "]." + facets;
                    checkFacets(where, event.path(side).path(i).path(facets), violations);
                }
            }
        }
        return violations;
    }

    /** The schema document at {@code iri} (no fragment), as a validator would load it; fails if there is none. */
    public JsonNode schemaDocument(String iri) {
        String text = document(iri);
        if (text == null) {
            throw new IllegalArgumentException("no schema document at " + iri);
        }
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkFacets(String where, JsonNode facets, List<String> violations) {
        facets.properties().forEach(facet -> {
            String key = facet.getKey();
            String url = facet.getValue().path("_schemaURL").asText();
            String document = url.contains("#") ? url.substring(0, url.indexOf('#')) : url;
            if (!document.startsWith(PUBLISHED) && !key.startsWith("duckload_")) {
                violations.add(where + "." + key + ": a custom facet's key must carry the prefix duckload_");
            }
            if (document(document) == null) {
                violations.add(where + "." + key + ": _schemaURL " + url + " resolves to no schema document");
                return;
            }
            JsonNode declared = schemaDocument(document).path("properties");
            if (!declared.has(key)) {
                List<String> keys = new ArrayList<>();
                declared.fieldNames().forEachRemaining(keys::add);
                violations.add(where + "." + key + ": the key is not the one " + document + " declares " + keys);
            }
            violations.addAll(validate(where + "." + key, facet.getValue(), url));
        });
    }

    private List<String> validate(String where, JsonNode value, String url) {
        try {
            List<Error> errors = registry.getSchema(SchemaLocation.of(url)).validate(value);
            return errors.stream().map(e -> where + ": " + e).toList();
        } catch (RuntimeException e) {
            return List.of(where + ": " + url + " cannot be applied: " + e);
        }
    }

    /** The text of the document at {@code iri}: the spec copy's file, or the service's answer; null if none. */
    private String document(String iri) {
        if (index.containsKey(iri)) {
            try {
                return Files.readString(specs.resolve(index.get(iri)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (serviceBase != null && iri.startsWith(serviceBase + "/")) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(iri)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 ? response.body() : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return null;
    }
}
