package io.duckload.catalog;

import java.net.URI;
import java.util.Optional;

import io.smallrye.config.WithDefault;

/** Configuration groups of the integrations that learn about loads besides Kafka: Dagster, OpenLineage. */
public interface IntegrationsConfig {

    /** Dagster asset key parts are names ({@code [A-Za-z0-9_]+}); in URLs they are joined by {@code /}. */
    java.util.regex.Pattern ASSET_KEY = java.util.regex.Pattern.compile("[A-Za-z0-9_]+(/[A-Za-z0-9_]+)*");

    /**
     * Dagster's external-assets REST API: each committed load is reported with
     * {@code POST <url>/report_asset_materialization/<asset key>}.
     */
    interface Dagster {
        /**
         * Base URL of a Dagster webserver ({@code http://dagster:3000}) or of a Dagster+ deployment
         * ({@code https://<org>.dagster.cloud/<deployment>}); reporting is off when absent.
         */
        Optional<URI> url();

        /** Dagster+ user token, sent as the {@code Dagster-Cloud-Api-Token} header; not needed for open source. */
        Optional<String> token();
    }

    /**
     * OpenLineage run events (START, COMPLETE, FAIL) of each load, POSTed to {@code url} and/or sent to
     * {@code topic}; off when neither is set.
     */
    interface OpenLineage {
        /** Full URL of the lineage endpoint, e.g. Marquez's {@code http://marquez:5000/api/v1/lineage}. */
        Optional<URI> url();

        /** Sent as {@code Authorization: Bearer <api-key>} to {@code url}, when set. */
        Optional<String> apiKey();

        /** Kafka topic of the run events (JSON values, keyed {@code <namespace>/<job>}). */
        Optional<String> topic();

        /** Namespace of the jobs; each dataset is a job named after it. */
        @WithDefault("duckload")
        String namespace();

        /**
         * This service's URL as lineage backends reach it: the {@code _schemaURL} of duckload's own facets points
         * to the JSON Schema the service serves below it ({@code /openlineage/facets/...}).
         */
        @WithDefault("http://localhost:8080")
        URI schemaBaseUrl();
    }

    /** Per-dataset Dagster settings, under {@code duckload.datasets.<name>.dagster}. */
    interface DatasetDagster {
        /** Dagster asset key, its parts separated by {@code /}; the dataset name when absent. */
        Optional<String> assetKey();
    }

    /** Checks the integrations' settings at start, so that a wrong one stops the service naming the key. */
    static void validate(Dagster dagster, OpenLineage lineage,
            java.util.Map<String, DuckloadConfig.DatasetConfig> datasets) {
        lineage.url().ifPresent(url -> {
            if (!("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))
                    || url.getHost() == null) {
                throw new CatalogException("duckload.openlineage.url", "must be an absolute http(s) URL, was " + url);
            }
        });
        URI schemaBase = lineage.schemaBaseUrl();
        if (!("http".equalsIgnoreCase(schemaBase.getScheme()) || "https".equalsIgnoreCase(schemaBase.getScheme()))
                || schemaBase.getHost() == null || schemaBase.getQuery() != null || schemaBase.getFragment() != null) {
            throw new CatalogException("duckload.openlineage.schema-base-url",
                    "must be an absolute http(s) URL without query or fragment, was " + schemaBase);
        }
        lineage.topic().filter(String::isBlank).ifPresent(topic -> {
            throw new CatalogException("duckload.openlineage.topic", "must not be blank");
        });
        datasets.forEach((name, dataset) -> dataset.dagster().assetKey().ifPresent(key -> {
            if (!ASSET_KEY.matcher(key).matches()) {
                throw new CatalogException("duckload.datasets." + name + ".dagster.asset-key",
                        "parts of letters, digits and _ separated by /, was \"" + key + "\"");
            }
        }));
        dagster.url().ifPresent(url -> {
            String scheme = url.getScheme();
            if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || url.getHost() == null) {
                throw new CatalogException("duckload.dagster.url", "must be an absolute http(s) URL, was " + url);
            }
            if (url.getQuery() != null || url.getUserInfo() != null) {
                throw new CatalogException("duckload.dagster.url",
                        "must not carry a query or user-info; put the token in duckload.dagster.token");
            }
        });
    }
}
