package io.duckload.outbox;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.duckload.testing.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.KafkaFlowTest;
import io.duckload.testing.RecordingHttpServer;
import io.duckload.testing.RecordingHttpServer.Recorded;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Committed loads reported to a local HTTP server standing in for Dagster's external-assets REST API, through the
 * real broker and the real DuckDB file: request shape, token and deployment path, and delivery after an outage.
 */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DagsterRecorderResource.class, restrictToAnnotatedClass = true)
class DagsterReportTest extends KafkaFlowTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String MATERIALIZATION = DagsterRecorderResource.DEPLOYMENT + "/report_asset_materialization/";
    private static final String CHECK = DagsterRecorderResource.DEPLOYMENT + "/report_asset_check/";

    @Inject
    MeterRegistry registry;

    @Test
    void twoLoadsAreTwoMaterializationsWithAssetKeyPartitionAndToken() {
        RecordingHttpServer dagster = DagsterRecorderResource.dagster();
        JsonNode january = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-01-01"));
        JsonNode zones = log.awaitEvent(MATERIALIZED, log.request("taxi_zones", null));

        Recorded trips = dagster.await(r -> january.path("loadId").asText().equals(dataVersion(r)), PATIENCE);
        assertThat(trips.method()).isEqualTo("POST");
        assertThat(trips.path()).isEqualTo(MATERIALIZATION + "taxi_trips");
        assertThat(trips.token()).isEqualTo(DagsterRecorderResource.TOKEN);
        assertThat(trips.contentType()).isEqualTo("application/json");
        JsonNode body = trips.json();
        assertThat(body.path("partition").asText()).isEqualTo("2023-01-01");
        assertThat(body.path("metadata").path("rows_inserted").asLong()).isEqualTo(1000);
        assertThat(body.path("metadata").path("rows_deleted").asLong()).isEqualTo(january.path("rowsDeleted").asLong());
        assertThat(body.path("metadata").path("load_id").asText()).isEqualTo(january.path("loadId").asText());
        assertThat(body.path("metadata").path("table").asText()).isEqualTo("trips");
        assertThat(body.path("metadata").path("database").asText()).isEqualTo(DuckloadTestResource.database().toString());
        assertThat(body.path("metadata").path("source_sha256").asText())
                .isEqualTo(january.path("source").path("sha256").asText());
        assertThat(body.path("metadata").path("source_uri").asText()).isEqualTo(january.path("source").path("uri").asText());
        assertThat(body.path("metadata").path("duration_ms").asLong()).isEqualTo(january.path("durationMs").asLong());

        Recorded zonesReport = dagster.await(r -> zones.path("loadId").asText().equals(dataVersion(r)), PATIENCE);
        assertThat(zonesReport.path()).isEqualTo(MATERIALIZATION + "nyc/taxi_zones");
        assertThat(zonesReport.json().has("partition")).isFalse();
        assertThat(zonesReport.json().path("metadata").path("rows_inserted").asLong())
                .isEqualTo(DuckloadTestResource.ZONES);
        assertThat(dagster.requests(r -> Set.of(january.path("loadId").asText(), zones.path("loadId").asText())
                .contains(dataVersion(r)))).hasSize(2);

        // Each check result of each load, as the event reports it, is one report_asset_check call.
        assertChecksReported(dagster, january, "taxi_trips");
        assertChecksReported(dagster, zones, "nyc/taxi_zones");
    }

    private static void assertChecksReported(RecordingHttpServer dagster, JsonNode event, String assetKey) {
        String loadId = event.path("loadId").asText();
        assertThat(event.path("checks")).as("the seeded checks of %s", assetKey).isNotEmpty();
        for (JsonNode check : event.path("checks")) {
            String name = check.path("name").asText();
            Recorded report = dagster.await(r -> r.path().equals(CHECK + assetKey)
                    && loadId.equals(r.json().path("metadata").path("load_id").asText())
                    && name.equals(r.json().path("check_name").asText()), PATIENCE);
            assertThat(report.token()).isEqualTo(DagsterRecorderResource.TOKEN);
            JsonNode body = report.json();
            assertThat(body.path("passed").asBoolean()).isEqualTo(check.path("passed").asBoolean());
            assertThat(body.path("severity").asText()).isEqualTo(check.path("severity").asText().toUpperCase());
            assertThat(body.path("metadata").path("violations").asLong()).isEqualTo(check.path("violations").asLong());
            assertThat(body.path("metadata").path("partition").asText(null))
                    .isEqualTo(event.path("partition").asText(null));
        }
        assertThat(dagster.requests(r -> r.path().startsWith(CHECK)
                && loadId.equals(r.json().path("metadata").path("load_id").asText())))
                .hasSize(event.path("checks").size());
    }

    @Test
    void reportsMadeWhileDagsterIsDownArriveAfterItComesUpOnlyForCommittedLoads() {
        RecordingHttpServer dagster = DagsterRecorderResource.dagster();
        double failedBefore = failedAttempts();
        dagster.down();
        try {
            String february = log.request("taxi_trips", "2023-02-01");
            String march = log.request("taxi_trips", "2023-03-01");
            String broken = log.request("taxi_trips", "2023-05-01");
            List<String> loads = List.of(log.awaitEvent(MATERIALIZED, february).path("loadId").asText(),
                    log.awaitEvent(MATERIALIZED, march).path("loadId").asText());
            log.awaitEvent(FAILED, broken);
            // The loads and their Kafka events did not wait for Dagster: the reports are pending and being retried.
            Awaitility.await().atMost(PATIENCE).until(
                    () -> failedAttempts() - failedBefore >= 2);
            assertThat(pending()).isGreaterThanOrEqualTo(2);
            assertThat(dagster.requests(r -> loads.contains(dataVersion(r)))).isEmpty();

            dagster.up();
            loads.forEach(load -> dagster.await(r -> load.equals(dataVersion(r)), PATIENCE));
            Awaitility.await().atMost(PATIENCE).until(() -> pending() == 0);

            Set<String> partitions = dagster.requests().stream().map(r -> r.json().path("partition").asText())
                    .collect(Collectors.toSet());
            assertThat(partitions).doesNotContain("2023-05-01");
            for (String load : loads) {
                assertThat(dagster.requests(r -> load.equals(dataVersion(r)))).hasSize(1);
            }
            // Delivered reports are marked in the outbox like sent events.
            Awaitility.await().atMost(PATIENCE).until(() -> queryLong(DuckloadTestResource.database(),
                    "SELECT count(*) FROM duckload_outbox WHERE destination = 'dagster' AND sent_at IS NULL") == 0);
            assertThat(queryLong(DuckloadTestResource.database(),
                    "SELECT count(*) FROM duckload_outbox WHERE destination = 'dagster'"
                            + " AND event_type = 'dagster.AssetMaterialization' AND load_id IN (?, ?)",
                    loads.get(0), loads.get(1))).isEqualTo(2);
        } finally {
            dagster.up();
        }
    }

    private double failedAttempts() {
        return registry.get("duckload.reports.failed").tag("destination", "dagster").counter().count();
    }

    private double pending() {
        return registry.get("duckload.reports.pending").tag("destination", "dagster").gauge().value();
    }

    private static String dataVersion(Recorded request) {
        return request.json().path("data_version").asText();
    }
}
