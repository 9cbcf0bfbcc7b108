package io.duckload.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import io.duckload.testing.Fixtures;
import io.duckload.testing.ServiceProcess;

/**
 * (f) How a month replace grows with the table: the same month replaced, directly and through the service (default
 * hold-file setting), in tables that already hold 1, 12 and 24 months. Done directly, DuckDB's zone maps on
 * {@code partition_date} keep it flat; the service must stay as flat. Each size is its own table (and, in the
 * service, its own copy of {@code taxi_trips}, checks included) in one file, so that the sizes are measured
 * interleaved round by round: drift on the shared machine, which moves times by more than the growth itself, then
 * hits each size alike. The months are written by DuckDB in this JVM before the service starts, into the tables the
 * service creates (the catalog's columns), in month order as loads would have written them; the replaced month is
 * the first. The direct file is a copy of the service's, taken before the service starts.
 */
final class MonthGrowth {

    static final int[] MONTHS_LOADED = { 1, 12, 24 };
    private static final YearMonth FIRST = YearMonth.of(2023, 1);
    private static final String TRIPS = "duckload.datasets.taxi_trips.";

    private MonthGrowth() {
    }

    /** A copy of {@code taxi_trips} per size, {@code growth_<n>} over table {@code trips_<n>}, reading {@code dir}. */
    static String datasetConfig(Path dir) throws IOException {
        Properties seeded = new Properties();
        try (InputStream in = MonthGrowth.class.getResourceAsStream("/application.properties")) {
            seeded.load(in);
        }
        StringBuilder config = new StringBuilder();
        for (int months : MONTHS_LOADED) {
            String dataset = "duckload.datasets.growth_" + months + ".";
            for (String key : new TreeSet<>(seeded.stringPropertyNames())) {
                if (key.startsWith(TRIPS) && !key.endsWith(".table") && !key.endsWith(".source")) {
                    config.append(dataset).append(key.substring(TRIPS.length())).append('=')
                            .append(seeded.getProperty(key)).append('\n');
                }
            }
            config.append(dataset).append("table=trips_").append(months).append('\n');
            config.append(dataset).append("source=").append(sources(dir))
                    .append("/yellow_tripdata_{YYYY-MM}.parquet\n");
        }
        return config.toString();
    }

    static Map<Integer, MonthRounds> run(Path work, long rows, int rounds, RawKafka kafka, Launcher launcher)
            throws Exception {
        Path dir = work.resolve("growth");
        String month = FIRST.toString();
        Path parquet = Fixtures.tripsParquet(sources(dir).resolve("yellow_tripdata_" + month + ".parquet"), month,
                rows);
        Path serviceDb = dir.resolve("service.duckdb");
        Path directDb = dir.resolve("direct.duckdb");
        for (Path file : List.of(serviceDb, directDb)) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(Path.of(file + ".wal"));
        }
        long started = System.nanoTime();
        Map<Integer, MonthRounds> measured = new LinkedHashMap<>();
        try (Connection connection = Fixtures.open(serviceDb)) {
            for (int months : MONTHS_LOADED) {
                addMonths(connection, "trips_" + months, months, rows);
                measured.put(months, MonthRounds.empty());
            }
        }
        Files.copy(serviceDb, directDb, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("growth: tables of %s months of %,d rows written in %.1f s%n", measured.keySet(), rows,
                (System.nanoTime() - started) / 1e9);
        try (ServiceProcess service = launcher.start(Results.DEFAULT_HOLD_FILE, serviceDb, sources(dir),
                "growth.log"); Connection direct = Fixtures.open(directDb)) {
            for (int round = 0; round <= rounds; round++) {
                for (var size : measured.entrySet()) {
                    size.getValue().measure("growth " + size.getKey() + " month(s)", round, direct,
                            new MonthRounds.Target("trips_" + size.getKey(), "growth_" + size.getKey(), month,
                                    parquet), kafka, service);
                }
            }
            service.stop();
        }
        return measured;
    }

    private static Path sources(Path dir) {
        return dir.resolve("sources");
    }

    /** Writes {@code months} months, from the first, into a new {@code table} with the catalog's columns. */
    private static void addMonths(Connection connection, String table, int months, long rows) throws Exception {
        try (var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (" + DirectLoads.TRIPS_COLUMNS + ")");
            for (int m = 0; m < months; m++) {
                String month = FIRST.plusMonths(m).toString();
                // The values of Fixtures.tripsParquet, in the table's column order.
                statement.execute("""
                        INSERT INTO %3$s SELECT (i %% 2 + 1)::INTEGER, (i %% 263 + 1)::INTEGER,
                               ((i * 7) %% 263 + 1)::INTEGER, 1.0, (i %% 4 + 1)::INTEGER,
                               TIMESTAMP '%1$s-01 00:00:00' + to_seconds(i %% 2419200 + 600),
                               TIMESTAMP '%1$s-01 00:00:00' + to_seconds(i %% 2419200),
                               (i %% 100) / 10.0, (i %% 4 + 1)::DOUBLE, (i %% 50) + 7.25, '%1$s'
                        FROM range(%2$d) t(i)""".formatted(month, rows, table));
            }
        }
    }
}
