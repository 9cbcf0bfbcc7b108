package io.duckload.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;


/** Daily partitions of a few rows each, and the dataset definition that reads them. */
final class TinyPartitions {

    static final String COLUMNS = "id integer, v double, day varchar";

    private TinyPartitions() {
    }

    static Path file(Path dir, LocalDate day) {
        return dir.resolve("tiny_" + day + ".parquet");
    }

    static void write(Path dir, LocalDate start, int days) throws Exception {
        Files.createDirectories(dir);
        try (Connection connection = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                var statement = connection.createStatement()) {
            for (int i = 0; i < days; i++) {
                Path file = file(dir, start.plusDays(i));
                if (!Files.exists(file)) {
                    statement.execute("COPY (SELECT range::INTEGER AS id, range * 1.5 AS v FROM range(10)) TO '"
                            + file + "' (FORMAT parquet)");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String datasetConfig(Path dir, LocalDate start, int days) {
        return """
                duckload.datasets.bench_tiny.table=tiny
                duckload.datasets.bench_tiny.mode=replace-partition
                duckload.datasets.bench_tiny.columns=%s
                duckload.datasets.bench_tiny.partitioning.granularity=daily
                duckload.datasets.bench_tiny.partitioning.start=%s
                duckload.datasets.bench_tiny.partitioning.end=%s
                duckload.datasets.bench_tiny.partitioning.column=day
                duckload.datasets.bench_tiny.partitioning.value-format=yyyy-MM-dd
                duckload.datasets.bench_tiny.source=%s/tiny_{YYYY-MM-DD}.parquet
                duckload.datasets.bench_tiny.select=select id, v, {partition_value} from {source}
                """.formatted(COLUMNS, start, start.plusDays(days), dir);
    }

}
