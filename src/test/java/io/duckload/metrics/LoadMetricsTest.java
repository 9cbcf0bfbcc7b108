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

import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.EventLog;
import io.duckload.testing.KafkaFlowTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@code /q/metrics} after a load and a failure: duckload's meters count them, Kafka's client meters are there. */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class LoadMetricsTest extends KafkaFlowTest {

    @Test
    void loadsAndFailuresAreCountedByDatasetAndCode() {
        log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-03-01"));
        log.awaitEvent(FAILED, log.request("taxi_trips", "2023-08-01"));
        log.awaitEvent(FAILED, log.request("no_such_dataset", null));

        String metrics = Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(LoadMetricsTest::metrics, text -> value(text, "duckload_queue_depth", "") == 0);

        String trips = "dataset=\"taxi_trips\"";
        assertThat(value(metrics, "duckload_loads_total", trips)).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "duckload_failures_total", "code=\"SOURCE_NOT_FOUND\"," + trips))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "duckload_failures_total", "code=\"UNKNOWN_DATASET\",dataset=\"unknown\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "duckload_rows_inserted_total", trips)).isGreaterThanOrEqualTo(2000);
        assertThat(value(metrics, "duckload_fetched_bytes_total", trips)).isPositive();
        for (String timer : new String[] { "duckload_load_duration_seconds", "duckload_fetch_duration_seconds" }) {
            assertThat(value(metrics, timer + "_count", trips)).as(timer).isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, timer + "_sum", trips)).as(timer).isPositive();
        }
        assertThat(value(metrics, "duckload_lock_wait_seconds_count", "")).isZero();
    }

    @Test
    void kafkaConsumerLagIsExposed() {
        log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-01-01"));

        String metrics = metrics();

        // Per-partition records_lag gauges appear only after Micrometer's next scan of the client's metrics.
        assertThat(value(metrics, "kafka_consumer_fetch_manager_records_lag_max",
                "client_id=\"kafka-consumer-partition-requested\"")).isNotNaN();
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
