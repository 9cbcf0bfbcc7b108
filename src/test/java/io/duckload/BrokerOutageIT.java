package io.duckload;

import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.duckload.testing.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.ServiceProcess;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Stops the broker (a real one in its own JVM, {@code bin/kafka-broker.sh}) for 30 s in the middle of a stream of
 * requests: the service stays up, readiness goes DOWN and UP again, and every request is answered exactly once.
 */
class BrokerOutageIT {

    private static final List<String> MONTHS = List.of("2023-01", "2023-02", "2023-03", "2023-04");

    @Test
    void theServiceRidesOutABrokerOutageAndLosesNothing(@TempDir Path dir) throws Exception {
        for (String month : MONTHS) {
            Fixtures.tripsParquet(dir.resolve("sources/yellow_tripdata_" + month + ".parquet"), month, 400_000);
        }
        Path brokerDir = ServiceProcess.buildDir().resolve("it-broker").toAbsolutePath();
        int port = freePort();
        broker("start", brokerDir, port);
        Path database = dir.resolve("duckload.duckdb");
        Map<String, String> env = ServiceProcess.environment("127.0.0.1:" + port, database,
                dir.resolve("staging"));
        env.put("DUCKLOAD_DATASETS_TAXI_TRIPS_SOURCE", dir.resolve("sources") + "/yellow_tripdata_{YYYY-MM}.parquet");
        List<String> sent = new ArrayList<>();
        List<Integer> readiness = new ArrayList<>();
        try (KafkaCompanion companion = new KafkaCompanion("127.0.0.1:" + port);
                EventLog log = new EventLog(companion);
                ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env,
                        ServiceProcess.buildDir().resolve("it-logs/broker-outage.log"))) {
            for (int i = 0; i < 16; i++) {
                sent.add(log.request("taxi_trips", MONTHS.get(i % MONTHS.size()) + "-01"));
            }
            log.awaitEvent(MATERIALIZED, sent.get(0));

            broker("stop", brokerDir, port);
            Instant back = Instant.now().plusSeconds(30);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> status(service, "/q/health/ready", readiness) == 503);
            // Alive and live at every probe until the broker is back: one failed probe ends the wait at once.
            // The probes are paced by the poll interval; a slow probe only delays the end, it cannot fail it.
            Awaitility.await().atMost(Duration.between(Instant.now(), back).plusSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .failFast("the service died or failed its liveness probe during the outage",
                            () -> !(service.isAlive() && status(service, "/q/health/live", new ArrayList<>()) == 200))
                    .until(() -> Instant.now().isAfter(back));
            broker("start", brokerDir, port);
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> status(service, "/q/health/ready", readiness) == 200);
            for (String requestId : sent) {
                assertThat(log.awaitEvent(MATERIALIZED, requestId).path("rowsInserted").asLong())
                        .isEqualTo(400_000);
            }
            assertThat(service.stop()).isIn(0, 143);
        } finally {
            broker("stop", brokerDir, port);
        }
        assertThat(readiness).as("readiness went DOWN and back UP").containsSubsequence(503, 200);
        assertThat(queryLong(database, "SELECT count(DISTINCT request_id) FROM duckload_outbox")).isEqualTo(16);
        assertThat(queryLong(database, "SELECT count(*) FROM duckload_outbox")).isEqualTo(16);
        assertThat(queryLong(database, "SELECT count(*) FROM duckload_outbox WHERE sent_at IS NULL")).isZero();
        for (String month : MONTHS) {
            assertThat(queryLong(database, "SELECT count(*) FROM trips WHERE partition_date = ?", month))
                    .isEqualTo(400_000);
        }
    }

    private static int status(ServiceProcess service, String path, List<Integer> seen) {
        try {
            int code = service.get(path).statusCode();
            if (seen.isEmpty() || seen.get(seen.size() - 1) != code) {
                seen.add(code);
            }
            return code;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void broker(String command, Path workdir, int port) throws IOException, InterruptedException {
        Files.createDirectories(workdir);
        Process process = new ProcessBuilder("bash", "bin/kafka-broker.sh", command, workdir.toString(),
                Integer.toString(port)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workdir.resolve("script.log").toFile())).start();
        assertThat(process.waitFor()).as("bin/kafka-broker.sh %s (see %s)", command, workdir.resolve("script.log"))
                .isZero();
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
