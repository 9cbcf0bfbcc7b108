package io.duckload.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaBroker;
import io.duckload.testing.ServiceProcess;

/**
 * Measures the service against raw DuckDB in the same run: (a) one 3,000,000-row month through the service vs the
 * same delete + INSERT … SELECT over JDBC, (b) 1,000 tiny partitions end to end through Kafka vs a direct tiny
 * commit, (d) the service's peak RSS during (a). Prints a table and writes docs/benchmarks.md and a chart.
 * Run it with {@code bin/benchmark}.
 */
public final class LoadBenchmark {

    static final String TRIPS_COLUMNS = "vendor_id integer, pickup_zone_id integer, dropoff_zone_id integer, "
            + "rate_code_id double, payment_type integer, dropoff_datetime timestamp, pickup_datetime timestamp, "
            + "trip_distance double, passenger_count double, total_amount double, partition_date varchar";
    static final String TRIPS_SELECT = "select VendorID, PULocationID, DOLocationID, RatecodeID, payment_type, "
            + "tpep_dropoff_datetime, tpep_pickup_datetime, trip_distance, passenger_count, total_amount, ";
    static final LocalDate TINY_START = LocalDate.of(2020, 1, 1);
    static final long BACKFILL_ROWS = 300_000;
    /** The default setting unless -Dbench.hold-file=always (the throughput setting) is given. */
    static final String HOLD_FILE = System.getProperty("bench.hold-file", "while-busy");

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long monthRows = Long.parseLong(System.getProperty("bench.rows", "3000000"));
        int rounds = Integer.getInteger("bench.rounds", 3);
        int tinyCount = Integer.getInteger("bench.tiny", 1000);
        Path work = ServiceProcess.buildDir().resolve("bench").toAbsolutePath();
        Files.createDirectories(work);
        System.out.printf("Generating a %,d-row month and %d tiny partitions in %s%n", monthRows, tinyCount, work);
        Path month = Fixtures.tripsParquet(work.resolve("sources/yellow_tripdata_2023-01.parquet"), "2023-01",
                monthRows);
        TinyPartitions.write(work.resolve("tiny"), TINY_START, tinyCount);
        for (int m = 1; m <= 12; m++) {
            String name = String.format("2022-%02d", m);
            Path file = work.resolve("remote/yellow_tripdata_" + name + ".parquet");
            if (!Files.exists(file)) {
                Fixtures.tripsParquet(file, name, BACKFILL_ROWS);
            }
        }
        Path serviceDb = work.resolve("service.duckdb");
        Path directDb = work.resolve("direct.duckdb");
        for (Path file : List.of(serviceDb, directDb)) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(Path.of(file + ".wal"));
        }

        Results results = new Results(monthRows, tinyCount);
        long rate = Long.getLong("bench.bytes-per-second", 2_000_000);
        try (KafkaBroker broker = KafkaBroker.start();
                ThrottledFileServer remote = new ThrottledFileServer(work.resolve("remote"), rate)) {
            results.backfillRate = rate;
            Path config = Files.writeString(work.resolve("bench.properties"),
                    TinyPartitions.datasetConfig(work.resolve("tiny"), TINY_START, tinyCount)
                            + Backfill.datasetConfig(remote.baseUrl()) + (Boolean.getBoolean("bench.debug")
                                    ? "quarkus.log.category.\"io.duckload\".level=DEBUG\n" : ""));
            Map<String, String> env = ServiceProcess.environment(broker.bootstrapServers(), serviceDb,
                    work.resolve("staging"));
            env.put("DUCKLOAD_DATASETS_TAXI_TRIPS_SOURCE", work.resolve("sources") + "/yellow_tripdata_{YYYY-MM}.parquet");
            env.put("QUARKUS_CONFIG_LOCATIONS", config.toUri().toString());
            env.put("DUCKLOAD_WRITER_HOLD_FILE", HOLD_FILE);
            env.put("DUCKLOAD_WRITER_GROUP_COMMIT", System.getProperty("bench.group-commit", "true"));
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env,
                    work.resolve("service.log"));
                    RawKafka kafka = new RawKafka(broker.bootstrapServers());
                    Connection direct = Fixtures.open(directDb)) {
                RssSampler rss = RssSampler.start(service.pid());
                results.idleRssMb = rss.currentMb();
                for (int round = 0; round <= rounds; round++) {
                    double directMs = directMonth(direct, month);
                    String requestId = UUID.randomUUID().toString();
                    long sent = kafka.send(requestId, "taxi_trips", "2023-01-01");
                    double serviceMs = (kafka.awaitArrival(requestId, Duration.ofMinutes(5)) - sent) / 1e6;
                    long loadMs = EventLog.json(kafka.event(requestId)).path("durationMs").asLong();
                    if (round == 0) {
                        System.out.printf("warm-up: direct %.0f ms, service %.0f ms%n", directMs, serviceMs);
                        continue;
                    }
                    System.out.printf("round %d: direct %.0f ms, service %.0f ms end to end (%d ms inside)%n", round,
                            directMs, serviceMs, loadMs);
                    results.directMonthMs.add(directMs);
                    results.serviceMonthMs.add(serviceMs);
                    results.serviceMonthInsideMs.add((double) loadMs);
                }
                results.peakRssMb = rss.stopAndPeakMb();

                for (int i = 0; i < Math.min(200, tinyCount); i++) {
                    results.directTinyMs.add(directTiny(direct, work.resolve("tiny"), TINY_START.plusDays(i)));
                }
                long started = System.nanoTime();
                for (int i = 0; i < tinyCount; i++) {
                    String requestId = UUID.randomUUID().toString();
                    long sent = kafka.send(requestId, "bench_tiny", TINY_START.plusDays(i).toString());
                    results.tinyLatencyMs.add((kafka.awaitArrival(requestId, Duration.ofMinutes(1)) - sent) / 1e6);
                }
                results.tinySeconds = (System.nanoTime() - started) / 1e9;

                // (e) the same partitions requested all at once (a burst), against the same replaces done
                // directly, one commit each, on one connection.
                long directStart = System.nanoTime();
                for (int i = 0; i < tinyCount; i++) {
                    directTiny(direct, work.resolve("tiny"), TINY_START.plusDays(i));
                }
                results.directBurstSeconds = (System.nanoTime() - directStart) / 1e9;
                List<String> burst = new ArrayList<>();
                long burstStart = 0;
                for (int i = 0; i < tinyCount; i++) {
                    String requestId = UUID.randomUUID().toString();
                    long sent = kafka.send(requestId, "bench_tiny", TINY_START.plusDays(i).toString());
                    burstStart = i == 0 ? sent : burstStart;
                    burst.add(requestId);
                }
                long last = 0;
                for (String requestId : burst) {
                    last = Math.max(last, kafka.awaitArrival(requestId, Duration.ofMinutes(5)));
                }
                results.burstSeconds = (last - burstStart) / 1e9;

                results.sequentialBackfillMs = Backfill.oneAtATime(direct, remote.baseUrl(), work.resolve("fetched"));
                results.pipelinedBackfillMs = Backfill.throughService(kafka);
                service.stop();
            }
        }
        results.print();
        results.write(Path.of("docs"));
    }

    /** The example's own statements, straight over JDBC: delete the month, insert it from parquet, commit. */
    static double directMonth(Connection connection, Path parquet) throws SQLException {
        long start = System.nanoTime();
        connection.setAutoCommit(false);
        try (var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS trips (" + TRIPS_COLUMNS + ")");
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM trips WHERE partition_date = ?");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO trips " + TRIPS_SELECT + "CAST(? AS VARCHAR) FROM read_parquet(?)")) {
            delete.setString(1, "2023-01");
            delete.executeUpdate();
            insert.setString(1, "2023-01");
            insert.setString(2, parquet.toString());
            insert.executeUpdate();
        }
        connection.commit();
        return (System.nanoTime() - start) / 1e6;
    }

    static double directTiny(Connection connection, Path dir, LocalDate day) throws SQLException {
        long start = System.nanoTime();
        connection.setAutoCommit(false);
        try (var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS tiny (" + TinyPartitions.COLUMNS + ")");
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM tiny WHERE day = ?");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO tiny SELECT id, v, CAST(? AS VARCHAR) FROM read_parquet(?)")) {
            delete.setString(1, day.toString());
            delete.executeUpdate();
            insert.setString(1, day.toString());
            insert.setString(2, TinyPartitions.file(dir, day).toString());
            insert.executeUpdate();
        }
        connection.commit();
        return (System.nanoTime() - start) / 1e6;
    }

    /** Everything measured in one run, and how it is reported. */
    static final class Results {
        final long monthRows;
        final int tinyCount;
        final List<Double> directMonthMs = new ArrayList<>();
        final List<Double> serviceMonthMs = new ArrayList<>();
        final List<Double> serviceMonthInsideMs = new ArrayList<>();
        final List<Double> directTinyMs = new ArrayList<>();
        final List<Double> tinyLatencyMs = new ArrayList<>();
        double tinySeconds;
        double directBurstSeconds;
        double burstSeconds;
        long backfillRate;
        double sequentialBackfillMs;
        double pipelinedBackfillMs;
        double idleRssMb;
        double peakRssMb;

        Results(long monthRows, int tinyCount) {
            this.monthRows = monthRows;
            this.tinyCount = tinyCount;
        }

        String table() {
            Stats direct = Stats.of(directMonthMs);
            Stats service = Stats.of(serviceMonthMs);
            Stats inside = Stats.of(serviceMonthInsideMs);
            Stats commit = Stats.of(directTinyMs);
            Stats tiny = Stats.of(tinyLatencyMs);
            StringBuilder out = new StringBuilder();
            out.append("Service setting: duckload.writer.hold-file=" + HOLD_FILE + "\n\n");
            out.append("| measure | baseline (same run) | duckload | ratio / margin | target |\n");
            out.append("|---|---|---|---|---|\n");
            out.append(String.format("| (a) %,d-row month, median of %d | direct JDBC %.0f ms | %.0f ms end to end"
                    + " (%.0f ms inside) | %.2f× | ≤ 1.10× |%n", monthRows, direct.count(), direct.median(),
                    service.median(), inside.median(), service.median() / direct.median()));
            out.append(String.format("| (b) %d tiny partitions, sequential | direct commit p50 %.1f ms, p99 %.1f ms"
                    + " | p50 %.1f ms, p99 %.1f ms; %.0f partitions/s | p99 %+.1f ms over commit p99 |"
                    + " < 50 ms |%n", tinyCount, commit.median(), commit.percentile(99), tiny.median(),
                    tiny.percentile(99), tinyCount / tinySeconds, tiny.percentile(99) - commit.percentile(99)));
            out.append(String.format("| (c) 12-month backfill over HTTP at %.1f MB/s per connection | one at a time,"
                    + " fetch then load: %.1f s | pipelined through the service: %.1f s | %.2f× speedup | ≥ 1.8× |%n",
                    backfillRate / 1e6, sequentialBackfillMs / 1000, pipelinedBackfillMs / 1000,
                    sequentialBackfillMs / pipelinedBackfillMs));
            out.append(String.format("| (e) %d tiny partitions requested at once, first request → last event |"
                    + " direct, one commit each: %.2f s (%.0f/s) | %.2f s (%.0f/s) | %.2f× %s | ≤ 1.0× |%n",
                    tinyCount, directBurstSeconds, tinyCount / directBurstSeconds, burstSeconds,
                    tinyCount / burstSeconds, burstSeconds / directBurstSeconds,
                    burstSeconds / directBurstSeconds <= 1.0 ? "" : "**MISSED**"));
            out.append(String.format("| (d) service RSS | idle %.0f MB | peak %.0f MB during (a) | | < 400 MB |%n",
                    idleRssMb, peakRssMb));
            return out.toString();
        }

        void print() {
            System.out.println();
            System.out.print(table());
        }

        void write(Path docs) throws java.io.IOException {
            Files.createDirectories(docs);
            Files.writeString(docs.resolve("benchmarks.svg"), Chart.bars("One month, median ms (lower is better)",
                    List.of("direct JDBC", "duckload end to end", "duckload inside"),
                    List.of(Stats.of(directMonthMs).median(), Stats.of(serviceMonthMs).median(),
                            Stats.of(serviceMonthInsideMs).median())));
            Files.writeString(docs.resolve("benchmarks.md"), """
                    # Benchmarks

                    Produced by `bin/benchmark` (source: `src/test/java/io/duckload/bench/`) on %s, on this
                    project's 2-core machine. Every baseline ran in the same run as the service, interleaved
                    round by round; compare ratios, not absolute times (the machine is shared and noisy).

                    %s
                    ![month load](benchmarks.svg)

                    - (a) "end to end" is from producing the PartitionRequested to receiving the
                      PartitionMaterialized; "inside" is the event's `durationMs` (fetch, checksum, load, commit).
                      The baseline runs the example's own statements (delete the month, `INSERT … SELECT` from
                      the parquet file, commit) over DuckDB JDBC in the benchmark's JVM on a second file.
                    - (b) requests are sent one at a time; latency is produce → event received. The baseline is
                      the same delete + insert + commit of one tiny partition done directly.
                    - (c) twelve 300,000-row months served by a local HTTP server throttled per connection; the
                      baseline downloads a month, loads it, then the next (one Dagster run per partition); the
                      service gets one backfill request and fetches up to 4 sources at once while its single
                      writer loads what is staged. Time is from the request to the twelfth event.
                    - (e) all tiny partitions requested at once; time from the first request produced to the last
                      event received. The baseline replaces the same partitions directly, one transaction each.
                    - (d) RSS of the service process, sampled every 50 ms (VmRSS) during (a).
                    """.formatted(LocalDate.now(), table()));
        }
    }
}
