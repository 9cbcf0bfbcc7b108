package io.duckload.warehouse;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.LoadMode;
import io.duckload.catalog.Partition;
import io.duckload.source.StagedSource;

/**
 * Runs the statements of one load on a connection whose transaction the caller owns. Identifiers come from the
 * catalog; every value (file path, partition value, window) is bound as a parameter.
 */
final class PartitionLoader {

    private PartitionLoader() {
    }

    /**
     * Counts of one load: rows inserted, rows removed, the fingerprint of the source's columns and that of the
     * table's columns after the load.
     */
    record Counts(long inserted, long deleted, String sourceSchema, String tableSchema) {
    }

    static Counts load(Connection connection, LoadJob job, TableMemo tables) throws SQLException {
        Dataset dataset = job.dataset();
        Optional<Partition> partition = job.partition();
        StagedSource source = job.source();
        String table = Sql.quote(dataset.table());
        SourceSchema schema = job.sourceSchema().isPresent() ? job.sourceSchema().get()
                : SourceSchema.describe(connection, dataset, source);
        Bound select = select(dataset, partition, source, schema.lacking(dataset.optionalSourceColumns()));
        // The select's columns go to the declared columns in declared order, wherever an added column sits in the
        // table (ALTER TABLE ... ADD COLUMN appends it).
        String insert = "INSERT INTO " + table + columnList(dataset) + " " + select.sql();
        long inserted;
        long deleted;
        if (dataset.mode() == LoadMode.REPLACE_PARTITION) {
            Partition p = partition.orElseThrow();
            String column = Sql.quote(dataset.partitioning().orElseThrow().column());
            tables.ensure(connection, dataset.table(), dataset.columns().orElseThrow());
            Long cleared = tables.takeCleared(dataset.table(), p.value());
            if (cleared != null) {
                deleted = cleared;
            } else {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + table + " WHERE " + column + " = ?")) {
                    delete.setString(1, p.value());
                    deleted = delete.executeLargeUpdate();
                }
            }
            Long together = tables.takeInserted(dataset.table(), p.value());
            inserted = together != null ? together : insert(connection, insert, select.values());
            return new Counts(inserted, deleted, schema.fingerprint(), tables.fingerprint(connection, dataset.table()));
        } else {
            tables.replaced(dataset.table());
            deleted = tableExists(connection, dataset.table()) ? count(connection, table) : 0;
            if (dataset.columns().isPresent()) {
                execute(connection, "CREATE OR REPLACE TABLE " + table + " (" + dataset.columns().get() + ")");
                inserted = insert(connection, insert, select.values());
            } else {
                insert(connection, "CREATE OR REPLACE TABLE " + table + " AS " + select.sql(), select.values());
                inserted = count(connection, table);
            }
        }
        return new Counts(inserted, deleted, schema.fingerprint(),
                TableEvolution.fingerprint(connection, dataset.table()));
    }

    static String columnList(Dataset dataset) {
        List<String> names = dataset.declaredColumns().names();
        return names.isEmpty() ? "" : names.stream().map(Sql::quote).collect(Collectors.joining(", ", " (", ")"));
    }

    /** SQL text with {@code ?} for each placeholder, and the values to bind, in order. */
    record Bound(String sql, List<Object> values) {
    }

    /**
     * The dataset's select over {@code source}; optional source columns the file lacks ({@code lacking}) read as
     * NULL, so the select may name them. Their names come from the catalog, checked as identifiers.
     */
    static Bound select(Dataset dataset, Optional<Partition> partition, StagedSource source, List<String> lacking) {
        List<Object> values = new ArrayList<>();
        String sql = dataset.select().render(name -> {
            switch (name) {
                case "source":
                    values.add(source.file().toString());
                    String reader = source.format().reader(dataset.readerOptions());
                    return lacking.isEmpty() ? reader : "(SELECT *, " + lacking.stream()
                            .map(c -> "NULL AS " + Sql.quote(c)).collect(Collectors.joining(", ")) + " FROM "
                            + reader + ")";
                default:
                    return placeholder(name, partition.orElseThrow(), values);
            }
        });
        return new Bound(sql, values);
    }

    /** SQL for a partition placeholder of a select or a check, its value added to {@code values}. */
    static String placeholder(String name, Partition partition, List<Object> values) {
        switch (name) {
            case "partition_value":
                values.add(partition.value());
                return "CAST(? AS VARCHAR)";
            case "partition_start":
                values.add(Date.valueOf(partition.start()));
                return "CAST(? AS DATE)";
            case "partition_end":
                values.add(Date.valueOf(partition.end()));
                return "CAST(? AS DATE)";
            default:
                throw new IllegalStateException("placeholder checked at start: " + name);
        }
    }

    static long insert(Connection connection, String sql, List<Object> values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            return statement.executeLargeUpdate();
        }
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = current_schema()")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM " + table);
                ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
