package io.duckload.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Source datasets named per OpenLineage's naming conventions (its Java client's FilesystemDatasetUtils tests give
 * the same names), redacted; the table's name follows dbt-duckdb's database rule (Python's splitext).
 */
class LineageNamesTest {

    @Test
    void s3ObjectsAreTheBucketAndTheKeyWithoutALeadingSlash() {
        assertThat(LineageNames.source("s3://nyc-tlc/trip data/yellow_2023-03.parquet"))
                .isEqualTo(new LineageNames.Name("s3://nyc-tlc", "trip data/yellow_2023-03.parquet"));
        assertThat(LineageNames.source("s3a://bucket/warehouse/t.parquet"))
                .isEqualTo(new LineageNames.Name("s3://bucket", "warehouse/t.parquet"));
        assertThat(LineageNames.source("s3://bucket/k.parquet?X-Amz-Signature=secret"))
                .isEqualTo(new LineageNames.Name("s3://bucket", "k.parquet"));
    }

    @Test
    void httpSourcesAreSchemeAndAuthorityAndThePathWithoutCredentials() {
        assertThat(LineageNames.source("https://user:pw@d37ci6vzurychx.cloudfront.net:8443/trip-data/y.parquet?t=1#x"))
                .isEqualTo(new LineageNames.Name("https://d37ci6vzurychx.cloudfront.net:8443", "/trip-data/y.parquet"));
    }

    @Test
    void localFilesAreNamespaceFileAndTheirAbsolutePath() {
        assertThat(LineageNames.source("file:///data/y.parquet")).isEqualTo(new LineageNames.Name("file",
                "/data/y.parquet"));
        assertThat(LineageNames.source("/data/../data/taxi_zones.csv")).isEqualTo(new LineageNames.Name("file",
                "/data/taxi_zones.csv"));
        assertThat(LineageNames.source("data/zones.csv")).isEqualTo(new LineageNames.Name("file",
                Path.of("data/zones.csv").toAbsolutePath().toString()));
    }

    @Test
    void theTableIsDuckdbPathAndStemSchemaTable() {
        assertThat(LineageNames.table(Path.of("/srv/nyc.duckdb"), "trips"))
                .isEqualTo(new LineageNames.Name("duckdb:///srv/nyc.duckdb", "nyc.main.trips"));
        assertThat(LineageNames.stem("warehouse.v2.duckdb")).isEqualTo("warehouse.v2");
        assertThat(LineageNames.stem("duckload")).isEqualTo("duckload");
        assertThat(LineageNames.stem(".hidden")).isEqualTo(".hidden");
        assertThat(LineageNames.stem("..a.db")).isEqualTo("..a");
    }
}
