package io.duckload.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;

/** The baselines: the example's own statements straight over DuckDB JDBC, in the benchmark's JVM. */
final class DirectLoads {

    static final String TRIPS_COLUMNS = "vendor_id integer, pickup_zone_id integer, dropoff_zone_id integer, "
            + "rate_code_id double, payment_type integer, dropoff_datetime timestamp, pickup_datetime timestamp, "
            + "trip_distance double, passenger_count double, total_amount double, partition_date varchar";
    static final String TRIPS_SELECT = "select VendorID, PULocationID, DOLocationID, RatecodeID, payment_type, "
            + "tpep_dropoff_datetime, tpep_pickup_datetime, trip_distance, passenger_count, total_amount, ";

    private DirectLoads() {
    }

    /** Delete the month from {@code table}, insert it from parquet, commit; returns the milliseconds taken. */
    static double month(Connection connection, String table, String month, Path parquet) throws SQLException {
        return replace(connection, table, TRIPS_COLUMNS, "partition_date", month,
                TRIPS_SELECT + "CAST(? AS VARCHAR) FROM read_parquet(?)", parquet);
    }

    /** The same for one tiny daily partition. */
    static double tiny(Connection connection, Path dir, LocalDate day) throws SQLException {
        return replace(connection, "tiny", TinyPartitions.COLUMNS, "day", day.toString(),
                "SELECT id, v, CAST(? AS VARCHAR) FROM read_parquet(?)", TinyPartitions.file(dir, day));
    }

    private static double replace(Connection connection, String table, String columns, String column, String value,
            String select, Path parquet) throws SQLException {
        long start = System.nanoTime();
        connection.setAutoCommit(false);
        try (var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (" + columns + ")");
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + table + " WHERE " + column + " = ?");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " " + select)) {
            delete.setString(1, value);
            delete.executeUpdate();
            insert.setString(1, value);
            insert.setString(2, parquet.toString());
            insert.executeUpdate();
        }
        connection.commit();
        return (System.nanoTime() - start) / 1e6;
    }
}
