package io.duckload.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.duckload.testing.Fixtures;
import io.duckload.testing.ServiceProcess;

/**
 * (f) How a month replace grows with the table: the same month of {@code taxi_trips} replaced, directly and through
 * the service (the default hold-file setting), on files that already hold 1, 12 and 24 months. Done directly,
 * DuckDB's zone maps on {@code partition_date} keep it flat; the service must stay as flat. The months already in
 * the table are written by DuckDB in this JVM while the service is stopped, into the table the service creates
 * (the catalog's columns), in month order as loads would have written them; the replaced month is the first.
 */
final class MonthGrowth {

    static final int[] MONTHS_LOADED = { 1, 12, 24 };
    private static final YearMonth FIRST = YearMonth.of(2023, 1);

    private MonthGrowth() {
    }

    static Map<Integer, MonthRounds> run(Path work, long rows, int rounds, RawKafka kafka, Launcher launcher)
            throws Exception {
        Path dir = work.resolve("growth");
        Path sources = dir.resolve("sources");
        String month = FIRST.toString();
        Path parquet = Fixtures.tripsParquet(sources.resolve("yellow_tripdata_" + month + ".parquet"), month, rows);
        Path serviceDb = dir.resolve("service.duckdb");
        Path directDb = dir.resolve("direct.duckdb");
        for (Path file : List.of(serviceDb, directDb)) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(Path.of(file + ".wal"));
        }
        Map<Integer, MonthRounds> measured = new LinkedHashMap<>();
        int loaded = 0;
        for (int months : MONTHS_LOADED) {
            long started = System.nanoTime();
            for (Path file : List.of(serviceDb, directDb)) {
                addMonths(file, loaded, months, rows);
            }
            System.out.printf("growth: %d month(s) of %,d rows in each file (%.1f s to write)%n", months, rows,
                    (System.nanoTime() - started) / 1e9);
            loaded = months;
            try (ServiceProcess service = launcher.start(Results.DEFAULT_HOLD_FILE, serviceDb, sources,
                    "growth.log"); Connection direct = Fixtures.open(directDb)) {
                measured.put(months, MonthRounds.run("growth " + months + " month(s)", rounds, direct, parquet, month,
                        kafka, service));
                service.stop();
            }
        }
        return measured;
    }

    /** Appends months {@code from} (inclusive) to {@code to} (exclusive), counted from the first, to the table. */
    private static void addMonths(Path file, int from, int to, long rows) throws Exception {
        try (Connection connection = Fixtures.open(file); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS trips (" + DirectLoads.TRIPS_COLUMNS + ")");
            for (int m = from; m < to; m++) {
                String month = FIRST.plusMonths(m).toString();
                // The values of Fixtures.tripsParquet, in the table's column order.
                statement.execute("""
                        INSERT INTO trips SELECT (i %% 2 + 1)::INTEGER, (i %% 263 + 1)::INTEGER,
                               ((i * 7) %% 263 + 1)::INTEGER, 1.0, (i %% 4 + 1)::INTEGER,
                               TIMESTAMP '%1$s-01 00:00:00' + to_seconds(i %% 2419200 + 600),
                               TIMESTAMP '%1$s-01 00:00:00' + to_seconds(i %% 2419200),
                               (i %% 100) / 10.0, (i %% 4 + 1)::DOUBLE, (i %% 50) + 7.25, '%1$s'
                        FROM range(%2$d) t(i)""".formatted(month, rows));
            }
        }
    }
}
