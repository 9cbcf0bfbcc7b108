package io.duckload.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaBroker;
import io.duckload.testing.ServiceProcess;

/**
 * Measures the service against raw DuckDB in the same run: (a) one month through the service vs the same delete +
 * INSERT … SELECT over JDBC, (b) tiny partitions one at a time, (c) a 12-month backfill over throttled HTTP (limit
 * per connection and shared), (d) the service's RSS, (e) a burst of tiny partitions, (a) and (e) for each setting
 * of hold-file, and (f) a month replace as the table grows ({@link MonthGrowth}). Prints a table, each figure
 * against its target, and writes docs/benchmarks.md and a chart. Run it with {@code bin/benchmark}.
 */
public final class LoadBenchmark {

    static final LocalDate TINY_START = LocalDate.of(2020, 1, 1);
    static final long BACKFILL_ROWS = 300_000;
    static final String MONTH = "2023-01";
    /** How long the service is left alone after it is ready before its idle RSS is read. */
    static final long IDLE_SECONDS = Long.getLong("bench.idle-seconds", 10);

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long monthRows = Long.parseLong(System.getProperty("bench.rows", "3000000"));
        int rounds = Integer.getInteger("bench.rounds", 5);
        int tinyCount = Integer.getInteger("bench.tiny", 1000);
        long growthRows = Long.getLong("bench.growth-rows", 1_000_000);
        int growthRounds = Integer.getInteger("bench.growth-rounds", 5);
        List<String> settings = List.of(System.getProperty("bench.hold-file", "while-busy,always").split(","));
        Path work = ServiceProcess.buildDir().resolve("bench").toAbsolutePath();
        Files.createDirectories(work);
        System.out.printf("Generating a %,d-row month and %d tiny partitions in %s%n", monthRows, tinyCount, work);
        Path month = Fixtures.tripsParquet(work.resolve("sources/yellow_tripdata_" + MONTH + ".parquet"), MONTH,
                monthRows);
        TinyPartitions.write(work.resolve("tiny"), TINY_START, tinyCount);
        for (int m = 1; m <= 12; m++) {
            String name = String.format("2022-%02d", m);
            Path file = work.resolve("remote/yellow_tripdata_" + name + ".parquet");
            if (!Files.exists(file)) {
                Fixtures.tripsParquet(file, name, BACKFILL_ROWS);
            }
        }

        Results results = new Results(monthRows, tinyCount, growthRows);
        results.backfillRate = Long.getLong("bench.bytes-per-second", 2_000_000);
        try (KafkaBroker broker = KafkaBroker.start();
                ThrottledFileServer remote = new ThrottledFileServer(work.resolve("remote"), results.backfillRate);
                RawKafka kafka = new RawKafka(broker.bootstrapServers())) {
            Path config = Files.writeString(work.resolve("bench.properties"),
                    TinyPartitions.datasetConfig(work.resolve("tiny"), TINY_START, tinyCount)
                            + Backfill.datasetConfig(remote.baseUrl())
                            + MonthGrowth.datasetConfig(work.resolve("growth")) + (Boolean.getBoolean("bench.debug")
                                    ? "quarkus.log.category.\"io.duckload\".level=DEBUG\n" : ""));
            Launcher launcher = new Launcher(broker.bootstrapServers(), work, config);
            for (String holdFile : settings) {
                new Phase(holdFile, holdFile, null, results, work, kafka).run(launcher, month, rounds, remote);
            }
            // The native executable beside the JVM, same broker, same files: -Dbench.native=<executable>.
            String nativeExecutable = System.getProperty("bench.native", "");
            if (!nativeExecutable.isBlank()) {
                new Phase(Results.NATIVE, Results.DEFAULT_HOLD_FILE, Path.of(nativeExecutable), results, work, kafka)
                        .run(launcher, month, rounds, remote);
            }
            if (growthRounds > 0) {
                results.growth = MonthGrowth.run(work, growthRows, growthRounds, kafka, launcher);
            }
        }
        results.print();
        BenchDocs.write(results, Path.of("docs"));
    }

    /**
     * One service run, {@code name}d, with one setting of hold-file, on the JVM or as {@code nativeExecutable}: (a)
     * and (e), with the JVM's default also (b), (c) and (d), and the native one's RSS.
     */
    private record Phase(String name, String holdFile, Path nativeExecutable, Results results, Path work,
            RawKafka kafka) {

        void run(Launcher launcher, Path month, int rounds, ThrottledFileServer remote) throws Exception {
            boolean byDefault = name.equals(Results.DEFAULT_HOLD_FILE);
            String slug = name.replace(' ', '-');
            Path serviceDb = fresh(work.resolve("service-" + slug + ".duckdb"));
            Path directDb = fresh(work.resolve("direct-" + slug + ".duckdb"));
            Results.Setting setting = results.setting(name);
            try (ServiceProcess service = launcher.start(holdFile, serviceDb, work.resolve("sources"),
                    "service-" + slug + ".log", nativeExecutable); Connection direct = Fixtures.open(directDb)) {
                RssSampler rss = RssSampler.start(service.pid());
                if (byDefault || nativeExecutable != null) {
                    // Idle: after the start settled, as bin/footprint measures it (not the instant it is ready).
                    TimeUnit.SECONDS.sleep(IDLE_SECONDS);
                }
                double idleMb = rss.currentMb();
                setting.month = MonthRounds.run("(a) " + name, rounds, direct, month, MONTH, kafka, service);
                double peakMb = rss.stopAndPeakMb();
                setting.idleMb = idleMb;
                setting.peakMb = peakMb;
                if (byDefault) {
                    results.idleRssMb = idleMb;
                    results.peakRssMb = peakMb;
                    sequentialTiny(direct);
                }
                // A warm-up burst first, as (a) has a warm-up round: the JIT compiles the paths of big groups, which
                // (a) and (b) never take. It also fills the partitions for `always`, as (b) did for the default.
                // Both bursts are printed and tabled; the second one is held to the target.
                burst(direct, setting);
                setting.coldDirectBurstSeconds = setting.directBurstSeconds;
                setting.coldBurstSeconds = setting.burstSeconds;
                System.out.printf("(e) %s warm-up: direct %.2f s, service %.2f s (requests produced in %.3f s)%n",
                        name, setting.directBurstSeconds, setting.burstSeconds, setting.burstProducedSeconds);
                burst(direct, setting);
                System.out.printf("(e) %s: direct %.2f s, service %.2f s (requests produced in %.3f s)%n", name,
                        setting.directBurstSeconds, setting.burstSeconds, setting.burstProducedSeconds);
                if (byDefault) {
                    backfills(direct, remote);
                }
                if (nativeExecutable != null) {
                    // What the service keeps once the month and the bursts are done (issue 30: < 150 MB after 15 s).
                    TimeUnit.SECONDS.sleep(15);
                    RssSampler settled = RssSampler.start(service.pid());
                    setting.afterLoadsMb = settled.currentMb();
                    settled.stopAndPeakMb();
                }
                service.stop();
            }
        }

        /** (b) requests one at a time, against tiny commits done directly. */
        private void sequentialTiny(Connection direct) throws Exception {
            for (int i = 0; i < Math.min(200, results.tinyCount); i++) {
                results.directTinyMs.add(DirectLoads.tiny(direct, work.resolve("tiny"), TINY_START.plusDays(i)));
            }
            long started = System.nanoTime();
            for (int i = 0; i < results.tinyCount; i++) {
                String requestId = UUID.randomUUID().toString();
                long sent = kafka.send(requestId, "bench_tiny", TINY_START.plusDays(i).toString());
                results.tinyLatencyMs.add((kafka.awaitArrival(requestId, Duration.ofMinutes(1)) - sent) / 1e6);
            }
            results.tinySeconds = (System.nanoTime() - started) / 1e9;
        }

        /**
         * (e) the same partitions requested all at once, against the same replaces done directly, one commit each,
         * on one connection.
         */
        private void burst(Connection direct, Results.Setting setting) throws Exception {
            long directStart = System.nanoTime();
            for (int i = 0; i < results.tinyCount; i++) {
                DirectLoads.tiny(direct, work.resolve("tiny"), TINY_START.plusDays(i));
            }
            setting.directBurstSeconds = (System.nanoTime() - directStart) / 1e9;
            List<String> days = new ArrayList<>();
            for (int i = 0; i < results.tinyCount; i++) {
                days.add(TINY_START.plusDays(i).toString());
            }
            RawKafka.Batch burst = kafka.sendAll("bench_tiny", days);
            long last = 0;
            for (String requestId : burst.requestIds()) {
                last = Math.max(last, kafka.awaitArrival(requestId, Duration.ofMinutes(5)));
            }
            setting.burstSeconds = (last - burst.started()) / 1e9;
            setting.burstProducedSeconds = (burst.flushed() - burst.started()) / 1e9;
        }

        /** (c) the backfill with a limit per connection, then with one limit shared by all connections. */
        private void backfills(Connection direct, ThrottledFileServer remote) throws Exception {
            Path fetched = work.resolve("fetched");
            remote.shareBandwidth(false);
            results.perConnectionBaseline = Backfill.oneAtATime(direct, remote.baseUrl(), fetched);
            results.perConnectionServiceMs = Backfill.throughService(kafka);
            System.out.printf("(c) per connection: one at a time %.1f s, service %.1f s%n",
                    results.perConnectionBaseline.totalMs() / 1000, results.perConnectionServiceMs / 1000);
            remote.shareBandwidth(true);
            results.sharedBaseline = Backfill.oneAtATime(direct, remote.baseUrl(), fetched);
            results.sharedServiceMs = Backfill.throughService(kafka);
            remote.shareBandwidth(false);
            System.out.printf("(c) shared: one at a time %.1f s (fetching %.1f s), service %.1f s%n",
                    results.sharedBaseline.totalMs() / 1000, results.sharedBaseline.fetchMs() / 1000,
                    results.sharedServiceMs / 1000);
        }

        private static Path fresh(Path file) throws Exception {
            Files.deleteIfExists(file);
            Files.deleteIfExists(Path.of(file + ".wal"));
            return file;
        }
    }
}
