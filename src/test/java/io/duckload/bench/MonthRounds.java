package io.duckload.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.duckload.testing.ServiceProcess;

/**
 * One month of {@code taxi_trips} replaced round by round, directly and through the service, interleaved so that
 * drift on the shared machine hits both alike; the first round warms up and is not counted.
 *
 * @param direct milliseconds of the direct replace (delete, INSERT … SELECT from parquet, commit)
 * @param service milliseconds from producing the request to receiving its PartitionMaterialized
 * @param inside milliseconds inside the service, from the start of fetching until the commit returned
 * @param warmUp the warm-up round through the service (one per run): the first request after the service's start
 */
record MonthRounds(List<Double> direct, List<Double> service, List<Double> inside, List<WarmUp> warmUp) {

    static final String DATASET = "taxi_trips";

    static MonthRounds empty() {
        return new MonthRounds(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    /** Replaces {@code month} of {@code taxi_trips}'s table {@code trips} {@code rounds} times after a warm-up. */
    static MonthRounds run(String label, int rounds, Connection connection, Path parquet, String month,
            RawKafka kafka, ServiceProcess service) throws Exception {
        MonthRounds measured = empty();
        for (int round = 0; round <= rounds; round++) {
            measured.measure(label, round, connection, new Target("trips", DATASET, month, parquet), kafka, service);
        }
        return measured;
    }

    /** The warm-up round through the service: milliseconds end to end and inside. */
    record WarmUp(double service, double inside) {

        /** What the request waited outside its load: Kafka both ways and the service's first-time work. */
        double outside() {
            return service - inside;
        }
    }

    /** What one round replaces: a table directly, the dataset over it through the service, and the month's file. */
    record Target(String table, String dataset, String month, Path parquet) {
    }

    /** One round: the direct replace, then the service's; round 0 is a warm-up, printed but not kept. */
    void measure(String label, int round, Connection connection, Target target, RawKafka kafka,
            ServiceProcess process) throws Exception {
        double directMs = DirectLoads.month(connection, target.table(), target.month(), target.parquet());
        LoadTimer before = LoadTimer.read(process, target.dataset());
        String requestId = UUID.randomUUID().toString();
        long sent = kafka.send(requestId, target.dataset(), target.month() + "-01");
        double serviceMs = (kafka.awaitArrival(requestId, Duration.ofMinutes(5)) - sent) / 1e6;
        double insideMs = before.awaitNextMs(process, target.dataset());
        System.out.printf("%s %s: direct %.0f ms, service %.0f ms end to end (%.0f ms inside)%n", label,
                round == 0 ? "warm-up" : "round " + round, directMs, serviceMs, insideMs);
        if (round > 0) {
            direct.add(directMs);
            this.service.add(serviceMs);
            inside.add(insideMs);
        } else {
            warmUp.add(new WarmUp(serviceMs, insideMs));
        }
    }

    Stats directStats() {
        return Stats.of(direct);
    }

    Stats serviceStats() {
        return Stats.of(service);
    }

    Stats insideStats() {
        return Stats.of(inside);
    }
}
