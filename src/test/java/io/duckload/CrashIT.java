package io.duckload;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaBroker;
import io.duckload.testing.ServiceProcess;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Kills the packaged service {@code crash.kills} times (20 by default) while it works through a stream of requests:
 * with SIGKILL at random moments (seeded: {@code -Dcrash.seed} replays a run), and twice at named points (inside the
 * load's transaction, between commit and event) where the service halts itself. Every start must answer within
 * 10 s of readiness. Then checks that nothing was lost, duplicated, half-written or announced wrongly.
 */
class CrashIT {

    private static final int KILLS = Integer.getInteger("crash.kills", 20);
    private static final List<String> MONTHS = List.of("2023-01", "2023-02", "2023-03", "2023-04", "2023-05",
            "2023-06");
    private static final long ROWS = 300_000;
    /** A line of the service's log (see {@link #phaseAtKill}) and the phase of the work it begins. */
    private static final Map<String, String> PHASES = phases();

    @Test
    void everyRequestEndsInExactlyOneCommittedLoadOrOneFailureDespiteKills(@TempDir Path dir) throws Exception {
        for (String month : MONTHS) {
            Fixtures.tripsParquet(dir.resolve("sources/yellow_tripdata_" + month + ".parquet"), month, ROWS);
        }
        Path extra = Files.writeString(dir.resolve("crash.properties"), """
                quarkus.log.category."io.duckload".level=DEBUG
                """);
        Path database = dir.resolve("duckload.duckdb");
        Path logs = ServiceProcess.buildDir().resolve("it-logs");
        Files.createDirectories(logs);
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.printf("CrashIT: seed %d (replay with -Dcrash.seed=%d)%n", seed, seed);
        Random random = new Random(seed);
        Map<String, String> expected = new LinkedHashMap<>(); // requestId -> "load" or an error code
        Map<String, Integer> killsByPhase = new TreeMap<>();
        Set<String> logged = new HashSet<>();
        // Two of the kills are driven at named points, so that these two phases are hit on every run.
        int inTransaction = 1 + random.nextInt(KILLS);
        int afterCommit = inTransaction % KILLS + 1;

        try (KafkaBroker broker = KafkaBroker.start();
                KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers());
                EventLog log = new EventLog(companion)) {
            Map<String, String> env = ServiceProcess.environment(broker.bootstrapServers(), database,
                    dir.resolve("staging"));
            env.put("DUCKLOAD_DATASETS_TAXI_TRIPS_SOURCE", dir.resolve("sources") + "/yellow_tripdata_{YYYY-MM}.parquet");
            env.put("QUARKUS_CONFIG_LOCATIONS", extra.toUri().toString());

            for (int kill = 1; kill <= KILLS; kill++) {
                Path serviceLog = logs.resolve("crash-" + kill + ".log");
                Files.deleteIfExists(serviceLog);
                String point = kill == inTransaction ? "in-transaction" : kill == afterCommit ? "after-commit" : null;
                if (point != null) {
                    haltAt(point, env, serviceLog, log, random, expected);
                    killsByPhase.merge("halted at " + point, 1, Integer::sum);
                    continue;
                }
                ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env, serviceLog);
                int answered = answers(log);
                Instant ready = Instant.now();
                for (int i = 0; i < 3; i++) {
                    sendOne(log, random, expected);
                }
                awaitNextAnswer(log, answered, ready, "start " + kill);
                // A random moment, not a synchronisation: the point is to hit every phase of the work.
                TimeUnit.MILLISECONDS.sleep(random.nextInt(2500));
                service.kill();
                killsByPhase.merge(phaseAtKill(serviceLog, logged), 1, Integer::sum);
            }

            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env,
                    logs.resolve("crash-final.log"))) {
                int answered = answers(log);
                Instant ready = Instant.now();
                sendOne(log, random, expected);
                awaitNextAnswer(log, answered, ready, "final start");
                Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                        .until(() -> expected.keySet().stream().allMatch(id -> log.find(MATERIALIZED, id).isPresent()
                                || log.find(FAILED, id).isPresent()));
                // Every request is answered; nothing more is waited for before the final, graceful stop.
                assertThat(service.stop()).isIn(0, 143);
            }
            assertThat(killsByPhase).containsEntry("halted at in-transaction", 1)
                    .containsEntry("halted at after-commit", 1);
            phaseAtKill(logs.resolve("crash-final.log"), logged);
            assertThat(logged).as("lines the phase table reads, each written by the service during this run")
                    .containsExactlyInAnyOrderElementsOf(PHASES.keySet());
            System.out.printf("CrashIT: %d kills by phase %s; %d requests%n", KILLS, killsByPhase,
                    expected.size());
            checkInvariants(database, log, expected);
        }
    }

    /**
     * Starts the service told to halt itself at {@code point} of its first load, sends it one request that loads
     * and two random ones, and waits for it to halt there. It may halt before it is ready (a redelivered request).
     */
    private static void haltAt(String point, Map<String, String> env, Path serviceLog, EventLog log, Random random,
            Map<String, String> expected) throws IOException {
        ServiceProcess started;
        try {
            started = ServiceProcess.start(ServiceProcess.defaultJar(), env, serviceLog,
                    "-Dduckload-test.halt-at=" + point);
        } catch (IllegalStateException exited) {
            started = null;
        }
        ServiceProcess service = started;
        if (service != null) {
            expected.put(log.request("taxi_trips", MONTHS.get(random.nextInt(MONTHS.size()))), "load");
            sendOne(log, random, expected);
            sendOne(log, random, expected);
            Awaitility.await(point).atMost(Duration.ofMinutes(2)).until(() -> !service.isAlive());
        }
        assertThat(Files.readString(serviceLog)).as("log of the run told to halt at " + point)
                .contains("CrashPoints: halting at " + point);
    }

    private static int answers(EventLog log) {
        return log.records(MATERIALIZED).size() + log.records(FAILED).size();
    }

    /** Asserts and prints the time from the service's readiness to its first answer after it. */
    private static void awaitNextAnswer(EventLog log, int answeredBefore, Instant ready, String start) {
        Awaitility.await(start).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> answers(log) > answeredBefore);
        Duration took = Duration.between(ready, Instant.now());
        System.out.printf("CrashIT: %s: ready -> next answer %d ms%n", start, took.toMillis());
        assertThat(took).as("%s: ready -> next answer", start).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }

    private static void sendOne(EventLog log, Random random, Map<String, String> expected) {
        int pick = random.nextInt(10);
        if (pick == 0) {
            expected.put(log.request("taxi_rides", "2023-01-01"), "UNKNOWN_DATASET");
        } else if (pick == 1) {
            expected.put(log.request("taxi_trips", "2022-06-01"), "PARTITION_OUT_OF_RANGE");
        } else {
            expected.put(log.request("taxi_trips", MONTHS.get(random.nextInt(MONTHS.size()))), "load");
        }
    }

    /**
     * The phase the service was in when killed: the phase begun by the last of these lines its log reached (the
     * lines the service writes as a load goes on, io.duckload at DEBUG). The transaction's start is not logged, so
     * fetching and the load's statements are one phase; the named halt points cover the transaction itself.
     */
    private static String phaseAtKill(Path serviceLog, Set<String> seen) throws IOException {
        String phase = "idle or consuming";
        for (String line : Files.readAllLines(serviceLog)) {
            for (Map.Entry<String, String> step : PHASES.entrySet()) {
                if (line.contains(step.getKey())) {
                    phase = step.getValue();
                    seen.add(step.getKey());
                }
            }
        }
        return phase;
    }

    private static void checkInvariants(Path database, EventLog log, Map<String, String> expected)
            throws SQLException {
        Map<String, List<String>> loadsByRequest = new HashMap<>();
        Map<String, String> partitionOfLoad = new HashMap<>();
        Map<String, Long> latestRowsByPartition = new HashMap<>();
        Map<String, Long> rowsByPartition = new HashMap<>();
        long unsent;
        try (Connection connection = Fixtures.open(database)) {
            try (ResultSet rs = connection.createStatement().executeQuery(
                    "SELECT load_id, partition_value, rows_inserted FROM duckload_loads ORDER BY finished_at")) {
                while (rs.next()) {
                    partitionOfLoad.put(rs.getString(1), rs.getString(2));
                    latestRowsByPartition.put(rs.getString(2), rs.getLong(3));
                }
            }
            // A load answers the request that started it and any that joined it while it waited: each has its
            // own outbox row, committed with the load.
            try (ResultSet rs = connection.createStatement().executeQuery(
                    "SELECT request_id, load_id FROM duckload_outbox")) {
                while (rs.next()) {
                    loadsByRequest.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            try (ResultSet rs = connection.createStatement().executeQuery(
                    "SELECT partition_date, count(*) FROM trips GROUP BY partition_date")) {
                while (rs.next()) {
                    rowsByPartition.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (ResultSet rs = connection.createStatement().executeQuery(
                    "SELECT count(*) FROM duckload_outbox WHERE sent_at IS NULL")) {
                rs.next();
                unsent = rs.getLong(1);
            }
        }
        Set<String> announcedLoads = log.records(MATERIALIZED).stream()
                .map(r -> EventLog.json(r).path("loadId").asText()).collect(Collectors.toSet());

        int loads = 0;
        int failures = 0;
        for (var request : expected.entrySet()) {
            List<String> committed = loadsByRequest.getOrDefault(request.getKey(), List.of());
            var failed = log.find(FAILED, request.getKey());
            if (request.getValue().equals("load")) {
                assertThat(committed).as("committed loads of request %s", request.getKey()).hasSize(1);
                assertThat(failed).as("failure of loaded request %s", request.getKey()).isEmpty();
                loads++;
            } else {
                assertThat(committed).as("loads of failed request %s", request.getKey()).isEmpty();
                assertThat(failed.orElseThrow().path("error").path("code").asText()).isEqualTo(request.getValue());
                failures++;
            }
        }
        assertThat(new HashSet<>(loadsByRequest.keySet())).as("outbox holds only requests that were sent")
                .isSubsetOf(expected.keySet());
        assertThat(loadsByRequest.values().stream().flatMap(List::stream).collect(Collectors.toSet()))
                .as("every load in the outbox is in the ledger").isEqualTo(partitionOfLoad.keySet());
        // No partition half-written: each holds exactly the rows of its latest committed load.
        assertThat(rowsByPartition).isEqualTo(latestRowsByPartition);
        rowsByPartition.values().forEach(rows -> assertThat(rows).isEqualTo(ROWS));
        // Every committed load was announced, and no event names a load outside the ledger.
        assertThat(announcedLoads).isEqualTo(partitionOfLoad.keySet());
        assertThat(unsent).isZero();
        System.out.printf("CrashIT invariants: %d requests -> %d answered by a committed load (%d loads), %d "
                + "failures; %d partitions whole; %d loads announced, 0 unannounced, 0 events without a ledger row%n",
                expected.size(), loads, partitionOfLoad.size(), failures, rowsByPartition.size(),
                announcedLoads.size());
    }

    private static Map<String, String> phases() {
        Map<String, String> phases = new LinkedHashMap<>();
        phases.put("fetching the source of load", "fetching or loading, before the commit"); // LoadService
        phases.put("load(s) written in", "committing the DuckDB transaction"); // GroupCommit
        phases.put("Loaded ", "after the commit, before the event was acknowledged"); // LoadService
        phases.put("acknowledged by the broker", "after the event, before the offset commit"); // LoadService
        phases.put(" failed: ", "answering a failure with PartitionFailed"); // LoadService
        return phases;
    }
}
