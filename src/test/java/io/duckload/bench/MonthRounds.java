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
 */
record MonthRounds(List<Double> direct, List<Double> service, List<Double> inside) {

    static final String DATASET = "taxi_trips";

    static MonthRounds run(String label, int rounds, Connection connection, Path parquet, String month,
            RawKafka kafka, ServiceProcess service) throws Exception {
        MonthRounds measured = new MonthRounds(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round <= rounds; round++) {
            double directMs = DirectLoads.month(connection, "trips", month, parquet);
            LoadTimer before = LoadTimer.read(service, DATASET);
            String requestId = UUID.randomUUID().toString();
            long sent = kafka.send(requestId, DATASET, month + "-01");
            double serviceMs = (kafka.awaitArrival(requestId, Duration.ofMinutes(5)) - sent) / 1e6;
            double insideMs = before.awaitNextMs(service, DATASET);
            System.out.printf("%s %s: direct %.0f ms, service %.0f ms end to end (%.0f ms inside)%n", label,
                    round == 0 ? "warm-up" : "round " + round, directMs, serviceMs, insideMs);
            if (round > 0) {
                measured.direct.add(directMs);
                measured.service.add(serviceMs);
                measured.inside.add(insideMs);
            }
        }
        return measured;
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
