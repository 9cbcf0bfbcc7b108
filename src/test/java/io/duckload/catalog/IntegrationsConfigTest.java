package io.duckload.catalog;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Wrong integration settings stop the service at start, naming the key. */
class IntegrationsConfigTest {

    record Dagster(Optional<URI> url, Optional<String> token) implements IntegrationsConfig.Dagster {
    }

    record Lineage(Optional<URI> url, Optional<String> apiKey, Optional<String> topic, String namespace,
            URI schemaBaseUrl) implements IntegrationsConfig.OpenLineage {

        Lineage(Optional<URI> url, Optional<String> apiKey, Optional<String> topic, String namespace) {
            this(url, apiKey, topic, namespace, URI.create("http://localhost:8080"));
        }
    }

    private static final Lineage OFF = new Lineage(Optional.empty(), Optional.empty(), Optional.empty(), "duckload");

    @Test
    void aDagsterUrlMustBeAbsoluteHttpWithoutSecrets() {
        assertThatThrownBy(() -> IntegrationsConfig.validate(dagster("ftp://dagster:3000"), OFF, Map.of()))
                .isInstanceOf(CatalogException.class).hasMessageContaining("duckload.dagster.url: must be an absolute");
        assertThatThrownBy(() -> IntegrationsConfig.validate(dagster("/prod"), OFF, Map.of()))
                .hasMessageContaining("duckload.dagster.url");
        assertThatThrownBy(() -> IntegrationsConfig.validate(dagster("https://u:p@org.dagster.cloud/prod"), OFF,
                Map.of())).hasMessageContaining("duckload.dagster.url: must not carry a query or user-info");
        assertThatCode(() -> IntegrationsConfig.validate(dagster("https://org.dagster.cloud/prod"), OFF, Map.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void anOpenLineageUrlMustBeHttpAndATopicNotBlank() {
        Dagster off = new Dagster(Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> IntegrationsConfig.validate(off, new Lineage(Optional.of(URI.create("marquez:5000")),
                Optional.empty(), Optional.empty(), "duckload"), Map.of()))
                .hasMessageContaining("duckload.openlineage.url");
        assertThatThrownBy(() -> IntegrationsConfig.validate(off, new Lineage(Optional.empty(), Optional.empty(),
                Optional.of(" "), "duckload"), Map.of())).hasMessageContaining("duckload.openlineage.topic");
    }

    @Test
    void theSchemaBaseUrlIsAnAbsoluteHttpUrl() {
        Dagster off = new Dagster(Optional.empty(), Optional.empty());
        for (String wrong : new String[] { "duckload:8080", "/openlineage", "https://duckload.example/?x=1" }) {
            assertThatThrownBy(() -> IntegrationsConfig.validate(off, new Lineage(Optional.empty(), Optional.empty(),
                    Optional.empty(), "duckload", URI.create(wrong)), Map.of()))
                    .hasMessageContaining("duckload.openlineage.schema-base-url");
        }
        assertThatCode(() -> IntegrationsConfig.validate(off, new Lineage(Optional.empty(), Optional.empty(),
                Optional.empty(), "duckload", URI.create("https://duckload.example/base")), Map.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void anAssetKeyIsNamePartsSeparatedBySlashes() {
        assertThat("nyc/taxi_trips").matches(IntegrationsConfig.ASSET_KEY);
        assertThat("taxi trips").doesNotMatch(IntegrationsConfig.ASSET_KEY);
        assertThat("nyc//trips").doesNotMatch(IntegrationsConfig.ASSET_KEY);
        assertThat("../trips").doesNotMatch(IntegrationsConfig.ASSET_KEY);
    }

    private static Dagster dagster(String url) {
        return new Dagster(Optional.of(URI.create(url)), Optional.empty());
    }

    private static org.assertj.core.api.AbstractStringAssert<?> assertThat(String value) {
        return org.assertj.core.api.Assertions.assertThat(value);
    }
}
