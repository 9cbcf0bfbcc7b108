package io.duckload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaBroker;
import io.duckload.testing.ServiceProcess;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The DuckDB file on a real full disk (a 24 MB tmpfs, mounted by the test; root only): a month that does not fit
 * fails with DATABASE_FULL (retried, as waiting can help), readiness goes DOWN naming it, every earlier load stays
 * intact, and once space is freed readiness comes back and the next load succeeds.
 */
class DatabaseFullIT {

    private static final long SMALL = 1_000;
    private static final long TOO_BIG = 1_000_000;

    @Test
    void aLoadThatDoesNotFitFailsAsDatabaseFullAndTheServiceRecovers(@TempDir Path dir) throws Exception {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", disk.toString()),
                "mounting a tmpfs needs root");
        try {
            Path sources = Files.createDirectories(dir.resolve("sources"));
            Fixtures.tripsParquet(sources.resolve("yellow_tripdata_2023-01.parquet"), "2023-01", SMALL);
            noisyTrips(sources.resolve("yellow_tripdata_2023-02.parquet"), "2023-02", TOO_BIG);
            Fixtures.tripsParquet(sources.resolve("yellow_tripdata_2023-03.parquet"), "2023-03", SMALL);
            // Space an operator can free later: the condition that clears.
            Path ballast = disk.resolve("ballast");
            Files.write(ballast, new byte[6 << 20]);
            Path database = disk.resolve("duckload.duckdb");
            Path serviceLog = ServiceProcess.buildDir().resolve("it-logs/database-full.log");
            Files.deleteIfExists(serviceLog);
            try (KafkaBroker broker = KafkaBroker.start();
                    KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers());
                    EventLog log = new EventLog(companion)) {
                Map<String, String> env = ServiceProcess.environment(broker.bootstrapServers(), database,
                        dir.resolve("staging"), sources);
                env.put("DUCKLOAD_RETRY_MAX_ATTEMPTS", "2");
                env.put("DUCKLOAD_RETRY_INITIAL_BACKOFF", "PT0.2S");
                try (ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env, serviceLog)) {
                    JsonNode first = log.awaitEvent(EventLog.MATERIALIZED, log.request("taxi_trips", "2023-01-01"));
                    assertThat(first.path("rowsInserted").asLong()).isEqualTo(SMALL);

                    JsonNode failed = log.awaitEvent(EventLog.FAILED, log.request("taxi_trips", "2023-02-01"));
                    assertThat(failed.path("error").path("code").asText()).isEqualTo("DATABASE_FULL");
                    assertThat(failed.path("error").path("message").asText()).contains("No space left on device");
                    assertThat(failed.path("attempts").asInt()).isEqualTo(2);
                    var ready = service.get("/q/health/ready");
                    assertThat(ready.statusCode()).isEqualTo(503);
                    assertThat(ready.body()).contains("DATABASE_FULL");

                    Files.delete(ballast);
                    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                            .until(() -> service.get("/q/health/ready").statusCode() == 200);
                    JsonNode third = log.awaitEvent(EventLog.MATERIALIZED, log.request("taxi_trips", "2023-03-01"));
                    assertThat(third.path("rowsInserted").asLong()).isEqualTo(SMALL);
                    assertThat(service.stop()).isIn(0, 143);
                }
            }
            assertThat(rowsOf(database, "2023-01")).isEqualTo(SMALL);
            assertThat(rowsOf(database, "2023-02")).isZero();
            assertThat(rowsOf(database, "2023-03")).isEqualTo(SMALL);
            assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM duckload_loads")).isEqualTo(2);
        } finally {
            run("umount", "-l", disk.toString());
        }
    }

    private static long rowsOf(Path database, String month) {
        return Fixtures.queryLong(database, "SELECT count(*) FROM trips WHERE partition_date = ?", month);
    }

    /** Trips whose values are random, so DuckDB cannot compress them below ~30 bytes a row. */
    private static void noisyTrips(Path file, String month, long rows) throws SQLException {
        try (Connection connection = Fixtures.open(dir(file).resolve("noise.duckdb"));
                var statement = connection.createStatement()) {
            statement.execute("""
                    COPY (SELECT 1::INTEGER AS VendorID,
                           TIMESTAMP '%1$s-01' + to_microseconds((random() * 2.4e12)::BIGINT) AS tpep_pickup_datetime,
                           TIMESTAMP '%1$s-01' + to_microseconds((random() * 2.4e12)::BIGINT) AS tpep_dropoff_datetime,
                           random() * 6 AS passenger_count, random() * 100 AS trip_distance, random() AS RatecodeID,
                           (random() * 263)::INTEGER AS PULocationID, (random() * 263)::INTEGER AS DOLocationID,
                           (random() * 4)::BIGINT AS payment_type, random() * 500 AS total_amount
                    FROM range(%2$d)) TO '%3$s' (FORMAT parquet)""".formatted(month, rows, file));
        }
    }

    private static Path dir(Path file) {
        return file.toAbsolutePath().getParent();
    }

    private static boolean run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        process.getInputStream().transferTo(System.out);
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }
}
