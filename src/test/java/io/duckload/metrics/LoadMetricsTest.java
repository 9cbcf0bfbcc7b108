package io.duckload.metrics;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.KafkaFlowTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@code /q/metrics} after a load and a failure: duckload's meters count them, Kafka's client meters are there. */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class LoadMetricsTest extends KafkaFlowTest {

    /**
     * Other tests in this JVM feed the same meters, so each is read before and after this test's own requests and
     * the difference is asserted exactly. Loads and failures are measured one after the other: a failed fetch is
     * timed too, so the fetch timer's step belongs to the load only when nothing else ran in between.
     */
    @Test
    void loadsAndFailuresAreCountedByDatasetAndCode() {
        String trips = "dataset=\"taxi_trips\"";
        String notFound = "code=\"SOURCE_NOT_FOUND\"," + trips;
        String unknown = "code=\"UNKNOWN_DATASET\",dataset=\"unknown\"";
        String[] timers = { "duckload_load_duration_seconds", "duckload_fetch_duration_seconds" };
        String idle = idleMetrics();

        JsonNode march = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-03-01"));
        String loaded = Awaitility.await().atMost(Duration.ofSeconds(30)).until(LoadMetricsTest::metrics,
                text -> value(text, "duckload_queue_depth", "") == 0
                        && value(text, "duckload_loads_total", trips) > value(idle, "duckload_loads_total", trips));

        assertThat(delta(idle, loaded, "duckload_loads_total", trips)).isEqualTo(1);
        assertThat(delta(idle, loaded, "duckload_rows_inserted_total", trips))
                .isEqualTo(DuckloadTestResource.TRIP_ROWS.get("2023-03").doubleValue());
        assertThat(delta(idle, loaded, "duckload_fetched_bytes_total", trips))
                .isEqualTo(march.path("source").path("bytes").asLong());
        for (String timer : timers) {
            assertThat(delta(idle, loaded, timer + "_count", trips)).as(timer).isEqualTo(1);
            assertThat(delta(idle, loaded, timer + "_sum", trips)).as(timer).isPositive();
        }
        // The load timer runs until the commit returned; the event's durationMs stops before the ledger and outbox
        // rows and the commit (the event is stored in that transaction), so the timer cannot be shorter.
        assertThat(delta(idle, loaded, "duckload_load_duration_seconds_sum", trips) * 1000)
                .isGreaterThanOrEqualTo(march.path("durationMs").asDouble());

        log.awaitEvent(FAILED, log.request("taxi_trips", "2023-08-01"));
        log.awaitEvent(FAILED, log.request("no_such_dataset", null));
        String failed = Awaitility.await().atMost(Duration.ofSeconds(30)).until(LoadMetricsTest::metrics,
                text -> value(text, "duckload_queue_depth", "") == 0
                        && orZero(text, "duckload_failures_total", unknown)
                                > orZero(loaded, "duckload_failures_total", unknown));

        assertThat(orZero(failed, "duckload_failures_total", notFound)
                - orZero(loaded, "duckload_failures_total", notFound)).isEqualTo(1);
        assertThat(orZero(failed, "duckload_failures_total", unknown)
                - orZero(loaded, "duckload_failures_total", unknown)).isEqualTo(1);
        assertThat(delta(loaded, failed, "duckload_loads_total", trips)).as("failures are not loads").isZero();
        assertThat(delta(loaded, failed, "duckload_rows_inserted_total", trips)).isZero();
        assertThat(value(failed, "duckload_lock_wait_seconds_count", "")).isZero();
    }

    @Test
    void kafkaConsumerLagIsExposed() {
        log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-01-01"));

        String metrics = metrics();

        // Per-partition records_lag gauges appear only after Micrometer's next scan of the client's metrics.
        assertThat(value(metrics, "kafka_consumer_fetch_manager_records_lag_max",
                "client_id=\"kafka-consumer-partition-requested\"")).isNotNaN();
    }

    /** The meters once no request is in flight, so that what follows is this test's alone. */
    private static String idleMetrics() {
        return Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(LoadMetricsTest::metrics, text -> value(text, "duckload_queue_depth", "") == 0);
    }

    /** How much {@code name} grew from {@code before} to {@code after}; the meter must exist in both. */
    private static double delta(String before, String after, String name, String labels) {
        double from = value(before, name, labels);
        assertThat(from).as(name + " before").isNotNaN();
        return value(after, name, labels) - from;
    }

    /** A failure counter appears with its first failure, so a missing one counts as zero. */
    private static double orZero(String metrics, String name, String labels) {
        double value = value(metrics, name, labels);
        return Double.isNaN(value) ? 0 : value;
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sample {@code name} whose labels contain {@code labels} (sorted as Prometheus sorts them), or NaN. */
    private static double value(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? (\\S+)").matcher(metrics);
        while (m.find()) {
            if (m.group(1) == null ? labels.isEmpty() : m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return Double.NaN;
    }
}
