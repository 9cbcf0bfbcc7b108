package io.duckload.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.duckdb.DuckDBDriver;

import io.duckload.catalog.DuckDbConfig;
import io.duckload.testing.Fixtures;
import io.duckload.testing.ServiceProcess;

/**
 * Whether the storage format (duckload.duckdb.storage-version) changes a month's load time or the file's size: the
 * month's replace as the service runs it (delete, INSERT … SELECT from parquet, commit, checkpoint as a release
 * does) on a file created with each format, several rounds each, formats interleaved so drift hits them alike.
 * Options: -Dbench.rows=3000000 -Dbench.format-rounds=5 -Dbench.formats=v1.0.0,v1.4.0,latest.
 */
public final class StorageFormats {

    private StorageFormats() {
    }

    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(System.getProperty("bench.rows", "3000000"));
        int rounds = Integer.getInteger("bench.format-rounds", 5);
        List<String> formats = List.of(System.getProperty("bench.formats", "v1.0.0,v1.4.0,latest").split(","));
        Path work = ServiceProcess.buildDir().resolve("bench/formats").toAbsolutePath();
        Path month = work.resolve("trips-" + rows + ".parquet");
        if (!Files.exists(month)) {
            Fixtures.tripsParquet(month, LoadBenchmark.MONTH, rows);
        }
        List<List<Double>> times = new ArrayList<>();
        List<Connection> files = new ArrayList<>();
        try {
            for (String format : formats) {
                files.add(create(work.resolve(format + ".duckdb"), format));
                times.add(new ArrayList<>());
            }
            // Round 0 warms up (JIT, page cache, the first insert into an empty table); it is not counted.
            for (int round = 0; round <= rounds; round++) {
                for (int i = 0; i < formats.size(); i++) {
                    long start = System.nanoTime();
                    DirectLoads.month(files.get(i), "trips", LoadBenchmark.MONTH, month);
                    checkpoint(files.get(i));
                    if (round > 0) {
                        times.get(i).add((System.nanoTime() - start) / 1e6);
                    }
                }
            }
        } finally {
            for (Connection file : files) {
                file.close();
            }
        }
        System.out.printf("%nStorage format: a %,d-row month replaced and checkpointed, %d rounds (median, p90)%n",
                rows, rounds);
        System.out.println("| storage-version | load ms (median) | load ms (p90) | file MB |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (int i = 0; i < formats.size(); i++) {
            Stats stats = Stats.of(times.get(i));
            System.out.printf("| %s | %.0f | %.0f | %.1f |%n", formats.get(i), stats.median(), stats.percentile(90),
                    Files.size(work.resolve(formats.get(i) + ".duckdb")) / 1e6);
        }
    }

    /** A new file of {@code format}, attached to an in-memory instance with the service's bounds, as the writer does. */
    private static Connection create(Path file, String format) throws SQLException, IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file + ".wal"));
        Properties settings = new Properties();
        settings.setProperty("autoinstall_known_extensions", "false");
        settings.setProperty("autoload_known_extensions", "false");
        settings.setProperty("memory_limit", DuckDbConfig.DEFAULT_MEMORY_LIMIT);
        settings.setProperty("threads", DuckDbConfig.DEFAULT_THREADS);
        Connection connection = new DuckDBDriver().connect("jdbc:duckdb:", settings);
        try (Statement statement = connection.createStatement()) {
            statement.execute("ATTACH '" + file + "' AS bench (STORAGE_VERSION '" + format + "')");
            statement.execute("USE bench");
        }
        return connection;
    }

    private static void checkpoint(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        }
    }
}
