package io.duckload;

import static io.duckload.testing.EventLog.MATERIALIZED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.JavaProgram;
import io.duckload.testing.KafkaBroker;
import io.duckload.testing.ServiceProcess;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The handoff to dbt, black-box: the packaged service (hold-file=while-busy, its default) announces a load, the
 * example trigger (examples/dbt-trigger) runs a command that opens the DuckDB file in another process and reads
 * the new rows while the service keeps running; and a load requested while another process holds the file waits
 * for it and then succeeds.
 */
class HandoffIT {

    private static final Path LOGS = ServiceProcess.buildDir().resolve("it-logs");
    private static final Path TRIGGER = Path.of("examples/dbt-trigger/DbtTrigger.java");

    @Test
    void dbtTriggeredByTheEventReadsTheFileAndALoadWaitsForAProcessHoldingIt(@TempDir Path dir) throws Exception {
        Fixtures.tripsParquet(dir.resolve("sources/yellow_tripdata_2023-01.parquet"), "2023-01", 1000);
        Fixtures.tripsParquet(dir.resolve("sources/yellow_tripdata_2023-02.parquet"), "2023-02", 1500);
        Path database = dir.resolve("data/duckload.duckdb");
        Path serviceLog = fresh("handoff-service.log");
        Path triggerLog = fresh("handoff-trigger.log");
        Path holderLog = fresh("handoff-holder.log");
        Path duckFile = JavaProgram.resource("handoff/DuckFile.java");

        try (KafkaBroker broker = KafkaBroker.start();
                KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers());
                EventLog log = new EventLog(companion)) {
            Map<String, String> env = ServiceProcess.environment(broker.bootstrapServers(), database,
                    dir.resolve("staging"));
            env.put("DUCKLOAD_DATASETS_TAXI_TRIPS_SOURCE",
                    dir.resolve("sources") + "/yellow_tripdata_{YYYY-MM}.parquet");
            env.put("DUCKLOAD_EXPORT_ROOT", dir.resolve("export").toString());
            env.put("DUCKLOAD_DATASETS_TAXI_TRIPS_EXPORT_ENABLED", "true");
            Process trigger = null;
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env, serviceLog)) {
                assertThat(JavaProgram.read(serviceLog)).contains("hold-file=WHILE_BUSY");
                trigger = JavaProgram.start(JavaProgram.testClassPath(), TRIGGER, triggerLog,
                        "--bootstrap-servers", broker.bootstrapServers(), "--group", "trigger-" + UUID.randomUUID(),
                        "--", JavaProgram.java(), "-cp", JavaProgram.duckdbJar(), duckFile.toString(), "count",
                        "{database}", "{min_date}", "{max_date}", "{load_id}");

                // 1. The event names dbt's selection and window and the parquet export; the trigger's command
                // opens the file from another process while the service runs, and sees the new rows.
                JsonNode january = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-01-01"));
                assertThat(january.path("dbt").path("select").asText()).isEqualTo("source:raw_taxis.trips+");
                assertThat(january.path("dbt").path("vars").path("min_date").asText()).isEqualTo("2023-01-01");
                assertThat(january.path("dbt").path("vars").path("max_date").asText()).isEqualTo("2023-02-01");
                Path export = Path.of(january.path("export").asText());
                assertThat(export).isEqualTo(dir.resolve("export/trips/partition_date=2023-01/data.parquet"));
                assertThat(parquetRows(export)).isEqualTo(1000);
                String januaryLoad = january.path("loadId").asText();
                awaitLine(triggerLog, "load " + januaryLoad + ": exit 0", Duration.ofSeconds(90));
                assertThat(JavaProgram.read(triggerLog)).contains("count " + januaryLoad + " 1000 tries 1");
                assertThat(service.isAlive()).isTrue();

                // 2. Another process holds the file (read-only, as a dbt run does) for 3 s; a request sent
                // meanwhile waits for the lock and is answered after the holder let go.
                Process holder = JavaProgram.start(JavaProgram.duckdbJar(), duckFile, holderLog, "hold",
                        database.toString(), "3000");
                awaitLine(holderLog, "holding", Duration.ofSeconds(60));
                String february = log.request("taxi_trips", "2023-02-01");
                assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
                Instant released = Instant.now();
                assertThat(holder.exitValue()).as(JavaProgram.read(holderLog)).isZero();
                assertThat(log.find(MATERIALIZED, february)).as("answered while the file was held").isEmpty();
                JsonNode event = log.awaitEvent(MATERIALIZED, february);
                assertThat(event.path("rowsInserted").asLong()).isEqualTo(1500);
                assertThat(OffsetDateTime.parse(event.path("materializedAt").asText()).toInstant())
                        .isAfter(released.minusMillis(500));
                assertThat(JavaProgram.read(serviceLog)).contains("Waiting for the lock on DuckDB file")
                        .contains("Lock on DuckDB file");
                awaitLine(triggerLog, "count " + event.path("loadId").asText() + " 1500 ", Duration.ofSeconds(90));
                assertThat(service.stop()).isIn(0, 143);
            } finally {
                if (trigger != null) {
                    trigger.destroy();
                    trigger.waitFor(10, TimeUnit.SECONDS);
                }
            }
            System.out.printf("HandoffIT trigger output:%n%s%nholder output:%n%s%n", JavaProgram.read(triggerLog),
                    JavaProgram.read(holderLog));
        }
    }

    private static Path fresh(String name) throws Exception {
        Files.createDirectories(LOGS);
        Path file = LOGS.resolve(name);
        Files.deleteIfExists(file);
        return file;
    }

    private static void awaitLine(Path log, String text, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> JavaProgram.read(log).contains(text));
    }

    private static long parquetRows(Path file) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM read_parquet(?)")) {
            query.setString(1, file.toString());
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
