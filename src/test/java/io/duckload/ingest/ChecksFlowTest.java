package io.duckload.ingest;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.duckload.testing.Fixtures.queryLong;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaFlowTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Data contracts inside the load's transaction, against a real broker and a real DuckDB file: {@code checked_trips}
 * and {@code real_trips} carry the checks application.properties seeds for taxi_trips (DuckloadTestResource). Each
 * test owns its months, and writes (or copies) its own source files.
 */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class ChecksFlowTest extends KafkaFlowTest {

    private static final Path REAL_SAMPLES = Path.of("..", "shared", "data", "nyc-taxi");

    @Test
    void anErrorCheckRefusesTheMonthAndThePreviousLoadStaysWhole() {
        trips("2023-02", 500, 0, 0);
        JsonNode good = log.awaitEvent(MATERIALIZED, log.request("checked_trips", "2023-02-01"));
        trips("2023-02", 600, 7, 0);

        JsonNode failed = log.awaitEvent(FAILED, log.request("checked_trips", "2023-02-01"));

        assertThat(failed.path("error").path("code").asText()).isEqualTo("CHECK_FAILED");
        assertThat(failed.path("error").path("message").asText())
                .contains("zone_ids_present (error): 7 violations, e.g. [{pickup_zone_id=null, dropoff_zone_id=")
                .doesNotContain("pickup_in_month").doesNotContain("total_amount");
        assertThat(failed.path("attempts").asInt()).isEqualTo(1);
        assertThat(rows("2023-02")).isEqualTo(500);
        assertThat(queryLong(database(), "SELECT count(*) FROM checked_trips WHERE partition_date = '2023-02'"
                + " AND pickup_zone_id IS NULL")).isZero();
        assertThat(queryLong(database(), """
                SELECT count(*) FROM (SELECT load_id FROM duckload_loads WHERE dataset = 'checked_trips'
                AND partition_value = '2023-02' ORDER BY finished_at DESC LIMIT 1) WHERE load_id = ?""",
                good.path("loadId").asText())).isEqualTo(1);
        assertThat(queryLong(database(), "SELECT count(*) FROM duckload_loads WHERE dataset = 'checked_trips'"
                + " AND partition_value = '2023-02'")).isEqualTo(1);
    }

    @Test
    void aWarnCheckCommitsAndReportsTheExactViolationCount() {
        trips("2023-03", 400, 0, 13);

        JsonNode event = log.awaitEvent(MATERIALIZED, log.request("checked_trips", "2023-03-01"));

        assertThat(event.path("rowsInserted").asLong()).isEqualTo(400);
        assertThat(checks(event.path("checks"))).isEqualTo(Map.of(
                "enough_rows", "error passed 0", "not_truncated", "error passed 0",
                "pickup_in_month", "warn failed 13", "zone_ids_present", "error passed 0"));
        assertThat(rows("2023-03")).isEqualTo(400);
        assertThat(queryLong(database(), "SELECT count(*) FROM duckload_loads WHERE load_id = ? AND checks LIKE ?",
                event.path("loadId").asText(),
                "%{\"name\":\"pickup_in_month\",\"severity\":\"warn\",\"passed\":false,\"violations\":13}%"))
                .isEqualTo(1);
        JsonNode status = partitionStatus("checked_trips", "2023-03-01");
        assertThat(status.path("status").asText()).isEqualTo("materialized");
        assertThat(status.path("warned").asBoolean()).isTrue();
        assertThat(checks(status.path("checks"))).isEqualTo(checks(event.path("checks")));
    }

    @Test
    void maxDropRefusesATruncatedFileAndAcceptsASmallerOneWithinTheShare() {
        trips("2023-04", 1000, 0, 0);
        log.awaitEvent(MATERIALIZED, log.request("checked_trips", "2023-04-01"));
        trips("2023-04", 400, 0, 0);

        JsonNode failed = log.awaitEvent(FAILED, log.request("checked_trips", "2023-04-01"));

        assertThat(failed.path("error").path("code").asText()).isEqualTo("CHECK_FAILED");
        // At most half of the 1000 rows may go: 500 must stay, 400 arrived, 100 are missing.
        assertThat(failed.path("error").path("message").asText()).contains("not_truncated (error): 100 violations");
        assertThat(rows("2023-04")).isEqualTo(1000);

        trips("2023-04", 500, 0, 0);
        JsonNode smaller = log.awaitEvent(MATERIALIZED, log.request("checked_trips", "2023-04-01"));
        assertThat(smaller.path("rowsDeleted").asLong()).isEqualTo(1000);
        assertThat(checks(smaller.path("checks"))).containsEntry("not_truncated", "error passed 0");
        assertThat(rows("2023-04")).isEqualTo(500);
    }

    @Test
    void minRowsRefusesAnAlmostEmptyMonth() {
        trips("2023-05", 40, 0, 0);

        JsonNode failed = log.awaitEvent(FAILED, log.request("checked_trips", "2023-05-01"));

        assertThat(failed.path("error").path("message").asText()).contains("enough_rows (error): 60 violations");
        assertThat(rows("2023-05")).isZero();
        assertThat(log.find(MATERIALIZED, failed.path("requestId").asText())).isEmpty();
    }

    @Test
    void theSeededChecksPassOnRealTlcMonthsAndReportTheirStrayPickups() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(REAL_SAMPLES), "needs " + REAL_SAMPLES.toAbsolutePath());
        Path real = Files.createDirectories(DuckloadTestResource.directory().resolve("real"));
        Map<String, Long> stray = new TreeMap<>();
        for (String month : List.of("2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06")) {
            String name = "yellow_tripdata_sample_" + month + ".csv";
            Files.copy(REAL_SAMPLES.resolve(name), real.resolve(name));
            JsonNode event = log.awaitEvent(MATERIALIZED, log.request("real_trips", month + "-01"));
            assertThat(event.path("rowsInserted").asLong()).isEqualTo(10_000);
            Map<String, String> checks = checks(event.path("checks"));
            assertThat(checks).containsEntry("zone_ids_present", "error passed 0")
                    .containsEntry("not_truncated", "error passed 0");
            stray.put(month, event.path("checks").findValues("violations").stream().mapToLong(JsonNode::asLong)
                    .sum());
        }
        // The data's README: 2019-03 and 2019-05 each hold one trip picked up outside the file's month.
        assertThat(stray).isEqualTo(Map.of("2019-01", 0L, "2019-02", 0L, "2019-03", 1L, "2019-04", 0L,
                "2019-05", 1L, "2019-06", 0L));

        // The upstream file cut after 4,000 trips: more than half of the month would go, so the load is refused.
        String april = "yellow_tripdata_sample_2019-04.csv";
        List<String> lines = Files.readAllLines(REAL_SAMPLES.resolve(april));
        Files.write(real.resolve(april), lines.subList(0, 4001));
        JsonNode failed = log.awaitEvent(FAILED, log.request("real_trips", "2019-04-01"));
        assertThat(failed.path("error").path("code").asText()).isEqualTo("CHECK_FAILED");
        assertThat(failed.path("error").path("message").asText()).contains("not_truncated (error): 1000 violations");
        assertThat(queryLong(database(), "SELECT count(*) FROM real_trips WHERE partition_date = '2019-04'"))
                .isEqualTo(10_000);
    }

    private static void trips(String month, long rows, long nullZones, long outsideMonth) {
        Fixtures.tripsParquet(DuckloadTestResource.directory().resolve("checked/trips_" + month + ".parquet"), month,
                rows, nullZones, outsideMonth);
    }

    private static long rows(String month) {
        return queryLong(database(), "SELECT count(*) FROM checked_trips WHERE partition_date = ?", month);
    }

    private static Path database() {
        return DuckloadTestResource.database();
    }

    /** {name: "severity passed|failed violations"} of an event's or a status's checks. */
    private static Map<String, String> checks(JsonNode checks) {
        Map<String, String> byName = new TreeMap<>();
        checks.forEach(c -> byName.put(c.path("name").asText(), c.path("severity").asText() + " "
                + (c.path("passed").asBoolean() ? "passed " : "failed ") + c.path("violations").asLong()));
        return byName;
    }

    private static JsonNode partitionStatus(String dataset, String partition) {
        JsonNode all = EventLog.json(given().get("/datasets/" + dataset + "/partitions").then().statusCode(200)
                .extract().asString());
        for (JsonNode status : all) {
            if (partition.equals(status.path("partition").asText())) {
                return status;
            }
        }
        throw new AssertionError("no partition " + partition + " in " + all);
    }
}
