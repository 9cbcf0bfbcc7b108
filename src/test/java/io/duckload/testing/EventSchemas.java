package io.duckload.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import io.duckload.contracts.PartitionRequested;

/**
 * duckload's own event schemas ({@code src/main/resources/io/duckload/contracts/}, beside the records they
 * describe; {@code $id} {@code https://duckload.io/schemas/<file>}), applied with a real JSON Schema validator (networknt
 * json-schema-validator, draft 2020-12, format assertions on). The documents are read from the classpath, never
 * fetched.
 */
public final class EventSchemas {

    public static final String REQUESTED = "partition-requested.schema.json";
    public static final String MATERIALIZED = "partition-materialized.schema.json";
    public static final String FAILED = "partition-failed.schema.json";
    /** Where the schemas' {@code $id}s point. */
    public static final String ID_BASE = "https://duckload.io/schemas/";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, builder -> builder
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                    .schemas(iri -> iri.startsWith(ID_BASE) ? text(iri.substring(ID_BASE.length())) : null));

    private EventSchemas() {
    }

    /** The schema {@code file} as the validator loaded it. */
    public static Schema schema(String file) {
        return REGISTRY.getSchema(SchemaLocation.of(ID_BASE + file));
    }

    /**
     * Every violation of {@code file}'s schema in {@code event}, each starting with the JSON pointer of the member
     * ({@code /checks/0/severity: ...}; the root is the empty pointer); empty when it conforms.
     */
    public static List<String> violations(String file, JsonNode event) {
        return schema(file).validate(event).stream().map(Object::toString).toList();
    }

    /** The text of {@code src/main/resources/io/duckload/contracts/<file>}. */
    public static String text(String file) {
        try (InputStream in = PartitionRequested.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalArgumentException("no schema " + file + " beside the contracts on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
