package io.duckload;

import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.duckload.testing.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaBroker;
import io.duckload.testing.RecordingHttpServer;
import io.duckload.testing.RecordingHttpServer.Recorded;
import io.duckload.testing.ServiceProcess;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * SIGKILL between a load's commit and its Dagster report: the packaged service commits and announces the load
 * while Dagster is down, is killed, and after the restart (Dagster up) the report stored with the load arrives.
 */
class DagsterCrashIT {

    private static final Path LOGS = ServiceProcess.buildDir().resolve("it-logs");

    @Test
    void aReportCommittedBeforeAKillIsSentAfterTheRestart(@TempDir Path dir) throws Exception {
        Fixtures.tripsParquet(dir.resolve("sources/yellow_tripdata_2023-04.parquet"), "2023-04", 700);
        Path database = dir.resolve("data/duckload.duckdb");
        try (KafkaBroker broker = KafkaBroker.start();
                KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers());
                EventLog log = new EventLog(companion);
                RecordingHttpServer dagster = RecordingHttpServer.notListening()) {
            Map<String, String> env = ServiceProcess.environment(broker.bootstrapServers(), database,
                    dir.resolve("staging"));
            env.put("DUCKLOAD_DATASETS_TAXI_TRIPS_SOURCE", dir.resolve("sources") + "/yellow_tripdata_{YYYY-MM}.parquet");
            String[] jvm = { "-Dduckload.dagster.url=" + dagster.url("/crash-deployment"),
                    "-Dduckload.retry.initial-backoff=PT0.2S", "-Dduckload.retry.max-backoff=PT1S" };

            String loadId;
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env,
                    LOGS.resolve("dagster-crash-1.log"), jvm)) {
                loadId = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-04-01")).path("loadId").asText();
                service.kill();
            }
            assertThat(dagster.requests()).isEmpty();
            assertThat(queryLong(database, "SELECT count(*) FROM duckload_outbox WHERE destination = 'dagster' "
                    + "AND event_type = 'dagster.AssetMaterialization' AND load_id = ? AND sent_at IS NULL", loadId))
                    .isEqualTo(1);
            // The seeded checks of taxi_trips: one report_asset_check row each, committed with the load.
            long checks = queryLong(database, "SELECT count(*) FROM duckload_outbox WHERE destination = 'dagster' "
                    + "AND event_type = 'dagster.AssetCheckEvaluation' AND load_id = ? AND sent_at IS NULL", loadId);
            assertThat(checks).isPositive();

            dagster.up();
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env,
                    LOGS.resolve("dagster-crash-2.log"), jvm)) {
                Recorded report = dagster.await(r -> loadId.equals(r.json().path("data_version").asText()),
                        Duration.ofSeconds(60));
                assertThat(report.path()).isEqualTo("/crash-deployment/report_asset_materialization/taxi_trips");
                assertThat(report.json().path("partition").asText()).isEqualTo("2023-04-01");
                assertThat(report.json().path("metadata").path("rows_inserted").asLong()).isEqualTo(700);
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(
                        () -> dagster.requests(r -> r.path().contains("/report_asset_check/")).size() >= checks);
                assertThat(service.stop()).isIn(0, 143);
            }
            assertThat(dagster.requests(r -> r.path().contains("/report_asset_materialization/"))).hasSize(1);
            assertThat(dagster.requests(r -> r.path().contains("/report_asset_check/"))).hasSize((int) checks);
            assertThat(queryLong(database, "SELECT count(*) FROM duckload_outbox WHERE destination = 'dagster' "
                    + "AND sent_at IS NULL")).isZero();
            assertThat(queryLong(database, "SELECT count(*) FROM duckload_loads")).isEqualTo(1);
        }
    }
}
