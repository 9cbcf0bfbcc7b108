package io.duckload.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import org.duckdb.DuckDBDriver;

import io.duckload.catalog.DuckDbConfig;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.warehouse.Work;
import io.duckload.warehouse.Writer;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;

/** Source files for tests, written by DuckDB itself: TLC-like trip parquet and a taxi zones CSV. */
public final class Fixtures {

    private Fixtures() {
    }

    /**
     * Writes {@code rows} trips of {@code month} ("2023-01") with the TLC parquet column names to {@code file}.
     */
    public static Path tripsParquet(Path file, String month, long rows) {
        return tripsParquet(file, month, rows, 0, 0);
    }

    /**
     * Like {@link #tripsParquet(Path, String, long)}, with the first {@code nullZones} trips lacking their pickup
     * zone and the last {@code outsideMonth} trips picked up the day before the month.
     */
    public static Path tripsParquet(Path file, String month, long rows, long nullZones, long outsideMonth) {
        return copy(file, """
                SELECT (i %% 2 + 1)::INTEGER AS VendorID,
                       CASE WHEN i >= %2$d - %4$d THEN TIMESTAMP '%1$s-01 00:00:00' - INTERVAL 1 DAY
                            ELSE TIMESTAMP '%1$s-01 00:00:00' + to_seconds(i %% 2419200) END AS tpep_pickup_datetime,
                       (TIMESTAMP '%1$s-01 00:00:00' + to_seconds(i %% 2419200 + 600)) AS tpep_dropoff_datetime,
                       (i %% 4 + 1)::DOUBLE AS passenger_count,
                       (i %% 100) / 10.0 AS trip_distance,
                       1.0 AS RatecodeID,
                       'N' AS store_and_fwd_flag,
                       CASE WHEN i < %3$d THEN NULL ELSE (i %% 263 + 1)::INTEGER END AS PULocationID,
                       ((i * 7) %% 263 + 1)::INTEGER AS DOLocationID,
                       (i %% 4 + 1)::BIGINT AS payment_type,
                       (i %% 50) + 3.5 AS fare_amount,
                       (i %% 50) + 7.25 AS total_amount
                FROM range(%2$d) t(i)""".formatted(month, rows, nullZones, outsideMonth),
                "parquet");
    }

    /** Trips without the {@code total_amount} column: a source that lacks a column the select needs. */
    public static Path tripsParquetMissingColumn(Path file) {
        return copy(file, """
                SELECT 1::INTEGER AS VendorID, TIMESTAMP '2023-01-01 00:00:00' AS tpep_pickup_datetime,
                       TIMESTAMP '2023-01-01 00:10:00' AS tpep_dropoff_datetime, 1.0 AS passenger_count,
                       1.0 AS trip_distance, 1.0 AS RatecodeID, 1 AS PULocationID, 2 AS DOLocationID,
                       1 AS payment_type
                FROM range(10)""", "parquet");
    }

    /** A taxi zones CSV with {@code rows} zones; WKT geometries hold commas and quotes like the real file. */
    public static Path zonesCsv(Path file, int rows) {
        return copy(file, """
                SELECT i AS LocationID, 'Zone ' || i AS zone,
                       CASE i %% 5 WHEN 0 THEN 'Manhattan' WHEN 1 THEN 'Queens' WHEN 2 THEN 'Brooklyn'
                                  WHEN 3 THEN 'Bronx' ELSE 'Staten Island' END AS borough,
                       'MULTIPOLYGON (((' || i || ' 40.1, ' || i || ' 40.2, ' || i || ' 40.1)))' AS the_geom
                FROM range(1, %d + 1) t(i)""".formatted(rows), "csv");
    }

    /** Two rows whose varchar column {@code amount} holds a number, then {@code value} (no single quote in it). */
    public static Path htmlValueParquet(Path file, String value) {
        if (value.contains("'")) {
            throw new IllegalArgumentException("no quotes: the value is written as a SQL literal");
        }
        return copy(file, "select * from (values (1, '2'), (2, '" + value + "')) t(id, amount)", "parquet");
    }

    /** Writes the rows of {@code select} (test SQL, run in an in-memory DuckDB) to {@code file} as parquet. */
    public static Path parquet(Path file, String select) {
        return copy(file, select, "parquet");
    }

    private static Path copy(Path file, String select, String format) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (Connection connection = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                    PreparedStatement copy = connection.prepareStatement(
                            "COPY (" + select + ") TO '" + file.toAbsolutePath().toString().replace("'", "''")
                                    + "' (FORMAT " + format + (format.equals("csv") ? ", HEADER" : "") + ")")) {
                copy.execute();
            }
            return file;
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot write fixture " + file, e);
        }
    }

    /**
     * Opens the service's DuckDB file from the test JVM. Inside one JVM the connection shares the service's
     * database instance, which DuckDB allows only with the same settings as the service's own connections.
     */
    public static Connection open(Path database) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("autoinstall_known_extensions", "false");
        settings.setProperty("autoload_known_extensions", "false");
        // The service's defaults of duckload.duckdb.*; the test profiles keep them.
        settings.setProperty("memory_limit", DuckDbConfig.DEFAULT_MEMORY_LIMIT);
        settings.setProperty("threads", DuckDbConfig.DEFAULT_THREADS);
        // From the driver itself, as DriverManager may no longer know it once the Quarkus app of an earlier test
        // profile stopped in this JVM.
        return new DuckDBDriver().connect("jdbc:duckdb:" + database.toAbsolutePath(), settings);
    }

    /**
     * What a DuckDB file holds, table by table: row count and an order-independent hash of all rows. Two equal
     * snapshots mean the same tables with the same rows.
     */
    public static java.util.Map<String, String> snapshot(Path database) {
        return read(database, "snapshot", connection -> {
            java.util.Map<String, String> tables = new java.util.TreeMap<>();
            try (var names = connection.createStatement().executeQuery("SELECT table_name FROM duckdb_tables() "
                    + "WHERE database_name = current_database() ORDER BY table_name")) {
                while (names.next()) {
                    String table = names.getString(1);
                    try (var rows = connection.createStatement().executeQuery(
                            "SELECT count(*), coalesce(bit_xor(hash(t)), 0) FROM \"" + table + "\" t")) {
                        rows.next();
                        tables.put(table, rows.getLong(1) + " rows, hash " + rows.getString(2));
                    }
                }
            }
            return tables;
        });
    }

    /** Runs one query on a DuckDB file and returns the first column of the first row as a long ({@link #read}). */
    public static long queryLong(Path database, String sql, Object... values) {
        return read(database, sql, connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    query.setObject(i + 1, values[i]);
                }
                try (var rs = query.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Reads a DuckDB file. When the service runs in this JVM (a {@code @QuarkusTest}) on that file, the read goes
     * through its writer's DuckDB instance, as the API's reads do: DuckDB refuses a second instance on a file the
     * writer has attached. Otherwise it opens the file ({@link #open}).
     */
    public static <T> T read(Path database, String what, Work<T> work) {
        try {
            ArcContainer service = Arc.container();
            if (service != null && service.isRunning() && service.instance(DuckloadConfig.class).get().database()
                    .toAbsolutePath().normalize().equals(database.toAbsolutePath().normalize())) {
                Writer writer = service.instance(Writer.class).get();
                try {
                    return writer.readBeside(work, Duration.ofSeconds(30));
                } finally {
                    writer.releaseIfIdle();
                }
            }
            try (Connection connection = open(database)) {
                return work.apply(connection);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(what, e);
        }
    }
}
