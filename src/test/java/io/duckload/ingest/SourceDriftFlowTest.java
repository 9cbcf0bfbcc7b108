package io.duckload.ingest;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.duckload.testing.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaFlowTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Source files that change layout over the years, against a real broker and DuckDB file: {@code drift_trips} names
 * {@code airport_fee} as an optional source column (DuckloadTestResource). Each test owns its months.
 */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class SourceDriftFlowTest extends KafkaFlowTest {

    @Test
    void anOptionalColumnAbsentFromAnOlderFileLoadsAsNullAndTheFingerprintShowsTheDrift() {
        Fixtures.tripsParquet(file("2023-01"), "2023-01", 300);
        Path older = Fixtures.tripsParquet(DuckloadTestResource.directory().resolve("drift-base-02.parquet"),
                "2023-02", 200);
        Fixtures.parquet(file("2023-02"), "SELECT *, 1.25 AS airport_fee FROM read_parquet('" + older + "')");

        JsonNode january = log.awaitEvent(MATERIALIZED, log.request("drift_trips", "2023-01-01"));
        JsonNode february = log.awaitEvent(MATERIALIZED, log.request("drift_trips", "2023-02-01"));

        assertThat(january.path("rowsInserted").asLong()).isEqualTo(300);
        assertThat(queryLong(database(), "SELECT count(*) FROM drift_trips WHERE month = '2023-01'"
                + " AND airport_fee IS NULL")).isEqualTo(300);
        assertThat(queryLong(database(), "SELECT count(*) FROM drift_trips WHERE month = '2023-02'"
                + " AND airport_fee = 1.25")).isEqualTo(200);
        String before = january.path("source").path("schema").asText();
        String after = february.path("source").path("schema").asText();
        assertThat(before).matches("sha256:[0-9a-f]{64}");
        assertThat(after).matches("sha256:[0-9a-f]{64}").isNotEqualTo(before);
        assertThat(queryLong(database(), "SELECT count(*) FROM duckload_loads WHERE load_id = ? AND source_schema = ?",
                february.path("loadId").asText(), after)).isEqualTo(1);

        // The same layout again gives the same fingerprint.
        Fixtures.tripsParquet(file("2023-03"), "2023-03", 100);
        JsonNode march = log.awaitEvent(MATERIALIZED, log.request("drift_trips", "2023-03-01"));
        assertThat(march.path("source").path("schema").asText()).isEqualTo(before);
    }

    @Test
    void aMissingColumnThatIsNotOptionalStaysASchemaMismatchNamingIt() {
        Fixtures.tripsParquetMissingColumn(file("2023-04"));

        JsonNode failed = log.awaitEvent(FAILED, log.request("drift_trips", "2023-04-01"));

        assertThat(failed.path("error").path("code").asText()).isEqualTo("SOURCE_SCHEMA_MISMATCH");
        assertThat(failed.path("error").path("message").asText()).contains("total_amount");
        assertThat(queryLong(database(), "SELECT count(*) FROM duckload_loads WHERE dataset = 'drift_trips'"
                + " AND partition_value = '2023-04'")).isZero();
    }

    private static Path file(String month) {
        return DuckloadTestResource.directory().resolve("drift/trips_" + month + ".parquet");
    }

    private static Path database() {
        return DuckloadTestResource.database();
    }
}
