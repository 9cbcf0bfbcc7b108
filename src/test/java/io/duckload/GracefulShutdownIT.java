package io.duckload;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.duckload.testing.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.JavaProgram;
import io.duckload.testing.KafkaBroker;
import io.duckload.testing.ServiceProcess;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * SIGTERM in the middle of a stream of requests: the packaged service exits cleanly (0 or 143) and, after a
 * restart, every request has exactly one answer (one committed load or one failure), the ledger holds exactly the
 * announced loads and the outbox holds no unsent event.
 */
class GracefulShutdownIT {

    private static final List<String> MONTHS = List.of("2023-01", "2023-02", "2023-03", "2023-04", "2023-05",
            "2023-06");
    private static final long ROWS = 200_000;
    private static final int REQUESTS = 16;

    @Test
    void sigtermMidStreamLosesNothingAndAnswersEveryRequestOnce(@TempDir Path dir) throws Exception {
        for (String month : MONTHS) {
            Fixtures.tripsParquet(dir.resolve("sources/yellow_tripdata_" + month + ".parquet"), month, ROWS);
        }
        Path database = dir.resolve("duckload.duckdb");
        Path logs = ServiceProcess.buildDir().resolve("it-logs");
        Files.createDirectories(logs);
        Path firstLog = logs.resolve("shutdown-1.log");
        Path secondLog = logs.resolve("shutdown-2.log");
        Files.deleteIfExists(firstLog);
        Files.deleteIfExists(secondLog);
        Path extra = Files.writeString(dir.resolve("shutdown.properties"), """
                quarkus.log.category."io.duckload".level=DEBUG
                mp.messaging.incoming.partition-requested.group.instance.id=duckload-shutdown-test
                mp.messaging.incoming.partition-requested.session.timeout.ms=6000
                """);
        Map<String, String> expected = new LinkedHashMap<>();
        try (KafkaBroker broker = KafkaBroker.start();
                KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers());
                EventLog log = new EventLog(companion)) {
            Map<String, String> env = ServiceProcess.environment(broker.bootstrapServers(), database,
                    dir.resolve("staging"));
            env.put("DUCKLOAD_DATASETS_TAXI_TRIPS_SOURCE",
                    dir.resolve("sources") + "/yellow_tripdata_{YYYY-MM}.parquet");
            env.put("QUARKUS_CONFIG_LOCATIONS", extra.toUri().toString());

            ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env, firstLog);
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < REQUESTS; i++) {
                    String id = i % 7 == 3 ? log.request("taxi_trips", "2022-06-01")
                            : log.request("taxi_trips", MONTHS.get(i % MONTHS.size()) + "-01");
                    synchronized (expected) {
                        expected.put(id, i % 7 == 3 ? "PARTITION_OUT_OF_RANGE" : "load");
                    }
                    // Pacing, not a synchronisation: requests keep arriving while SIGTERM is sent.
                    sleep(150);
                }
            });
            // SIGTERM once the service is busy with the stream, while requests are still arriving.
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> log.records(MATERIALIZED).size() >= 2);
            long stopStarted = System.nanoTime();
            int exit = service.stop();
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStarted);
            stream.join();
            assertThat(exit).as(JavaProgram.read(firstLog)).isIn(0, 143);
            long unsentAtStop = queryLong(database, "SELECT count(*) FROM duckload_outbox WHERE sent_at IS NULL");
            long answeredAtStop = expected.keySet().stream()
                    .filter(id -> log.find(MATERIALIZED, id).isPresent() || log.find(FAILED, id).isPresent()).count();

            try (ServiceProcess again = ServiceProcess.start(ServiceProcess.defaultJar(), env, secondLog)) {
                Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                        .until(() -> expected.keySet().stream().allMatch(
                                id -> log.find(MATERIALIZED, id).isPresent() || log.find(FAILED, id).isPresent()));
                assertThat(again.stop()).isIn(0, 143);
            }

            Map<String, Set<String>> answers = new TreeMap<>();
            int duplicates = 0;
            for (var record : log.records(MATERIALIZED)) {
                var event = EventLog.json(record);
                if (!answers.computeIfAbsent(event.path("requestId").asText(), k -> new java.util.HashSet<>())
                        .add("load " + event.path("loadId").asText())) {
                    duplicates++;
                }
            }
            for (var record : log.records(FAILED)) {
                var event = EventLog.json(record);
                answers.computeIfAbsent(event.path("requestId").asText(), k -> new java.util.HashSet<>())
                        .add("failed " + event.path("error").path("code").asText());
            }
            for (var request : expected.entrySet()) {
                Set<String> got = answers.getOrDefault(request.getKey(), Set.of());
                assertThat(got).as("answers of request %s", request.getKey()).hasSize(1);
                assertThat(got.iterator().next()).startsWith(request.getValue().equals("load") ? "load "
                        : "failed " + request.getValue());
            }
            Set<String> announcedLoads = log.records(MATERIALIZED).stream()
                    .map(r -> EventLog.json(r).path("loadId").asText()).collect(Collectors.toSet());
            assertThat(queryLong(database, "SELECT count(*) FROM duckload_loads")).isEqualTo(announcedLoads.size());
            assertThat(queryLong(database, "SELECT count(DISTINCT load_id) FROM duckload_loads"))
                    .isEqualTo(announcedLoads.size());
            assertThat(queryLong(database, "SELECT count(*) FROM duckload_outbox WHERE sent_at IS NULL")).isZero();
            String firstRun = JavaProgram.read(firstLog);
            System.out.printf("GracefulShutdownIT: %d requests, SIGTERM took %d ms (exit %d), %d answered before "
                    + "it, %d outbox events unsent at stop, %d duplicate deliveries, %d loads; file closed at stop: "
                    + "%s; left unanswered at stop: %d%n", expected.size(), stopMillis, exit, answeredAtStop,
                    unsentAtStop, duplicates, announcedLoads.size(), firstRun.contains("closed"),
                    firstRun.lines().filter(l -> l.contains("left unanswered")).count());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
