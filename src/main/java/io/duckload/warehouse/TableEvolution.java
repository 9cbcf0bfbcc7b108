package io.duckload.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.duckload.catalog.Catalog;
import io.duckload.catalog.CatalogException;
import io.duckload.catalog.Dataset;
import io.duckload.catalog.LoadMode;
import io.duckload.catalog.SchemaEvolution;
import io.duckload.catalog.TableColumns.Column;

/**
 * Tables that follow the catalog: at start, in the writer's start transaction, creates each replace-partition
 * dataset's table or brings the existing one in line with the declared {@code columns}. Added columns are added
 * (old rows read NULL, or the declared default) and widened types applied; a dropped, renamed or narrowed column
 * stops the start with the statements the operator can run, unless the dataset opts into
 * {@code schema-evolution=recreate}. Replace-table datasets need none of this: each load recreates their table.
 */
@ApplicationScoped
public class TableEvolution implements Tables {

    private static final Logger LOG = Logger.getLogger(TableEvolution.class);

    private final Catalog catalog;

    public TableEvolution(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void create(Connection connection) throws SQLException {
        for (Dataset dataset : catalog.all().values()) {
            if (dataset.mode() == LoadMode.REPLACE_PARTITION) {
                follow(connection, dataset);
            }
        }
    }

    /** What following the declaration takes: statements duckload runs, and changes it refuses with their remedy. */
    record Plan(List<String> applied, List<String> refused, List<String> remedies) {
    }

    /** Creates {@code dataset}'s table, or makes the existing one follow its declared columns. */
    static void follow(Connection connection, Dataset dataset) throws SQLException {
        String table = Sql.quote(dataset.table());
        String create = "CREATE TABLE " + table + " (" + dataset.columns().orElseThrow() + ")";
        Map<String, String> existing = columns(connection, dataset.table());
        if (existing.isEmpty()) {
            PartitionLoader.execute(connection, create);
            return;
        }
        Plan plan = plan(table, dataset.declaredColumns().columns(), existing);
        String key = "duckload.datasets." + dataset.name() + ".columns";
        if (!plan.refused().isEmpty()) {
            if (dataset.schemaEvolution() != SchemaEvolution.RECREATE) {
                throw new CatalogException(key, refusal(dataset, plan));
            }
            long rows = count(connection, table);
            PartitionLoader.execute(connection, "DROP TABLE " + table);
            PartitionLoader.execute(connection, create);
            LOG.warnf("Table %s recreated to follow %s (schema-evolution=recreate): %s; its %d rows were dropped",
                    table, key, String.join("; ", plan.refused()), rows);
            return;
        }
        for (String statement : plan.applied()) {
            try {
                PartitionLoader.execute(connection, statement);
            } catch (SQLException e) {
                throw new CatalogException(key, "the table cannot follow them: " + statement + " failed: "
                        + e.getMessage());
            }
            LOG.infof("Table %s follows %s: %s", table, key, statement);
        }
    }

    /** Compares the declared columns with the table's ({@code existing}: name to DuckDB type, in table order). */
    static Plan plan(String table, List<Column> declared, Map<String, String> existing) {
        List<String> applied = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> remedies = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        existing.keySet().forEach(n -> names.put(n.toLowerCase(Locale.ROOT), n));
        Map<String, Column> byName = new LinkedHashMap<>();
        declared.forEach(c -> byName.put(c.name().toLowerCase(Locale.ROOT), c));
        String alter = "ALTER TABLE " + table;
        for (Column column : declared) {
            String name = Sql.quote(column.name());
            String current = names.get(column.name().toLowerCase(Locale.ROOT));
            if (current == null) {
                String add = alter + " ADD COLUMN " + name + " " + column.type();
                if (column.defaultValue().isPresent()) {
                    applied.add(add + " DEFAULT " + column.defaultValue().get());
                    if (column.notNull()) {
                        applied.add(alter + " ALTER COLUMN " + name + " SET NOT NULL");
                    }
                } else if (column.notNull()) {
                    refused.add("added column " + name + " is NOT NULL without a default, which the table's rows"
                            + " cannot meet");
                    remedies.add(add + ";");
                    remedies.add("UPDATE " + table + " SET " + name + " = <value>;");
                    remedies.add(alter + " ALTER COLUMN " + name + " SET NOT NULL;");
                } else {
                    applied.add(add);
                }
                continue;
            }
            String type = existing.get(current);
            if (type.equals(column.type())) {
                continue;
            }
            String retype = alter + " ALTER COLUMN " + name + " TYPE " + column.type();
            if (TypeWidening.widens(type, column.type())) {
                applied.add(retype);
            } else {
                refused.add("column " + name + " is " + type + " in the table, declared " + column.type()
                        + " (not a widening)");
                remedies.add(retype + ";");
            }
        }
        for (Map.Entry<String, String> column : existing.entrySet()) {
            if (byName.containsKey(column.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            String name = Sql.quote(column.getKey());
            refused.add("column " + name + " " + column.getValue() + " is in the table but not declared (dropped"
                    + " or renamed)");
            remedies.add(alter + " DROP COLUMN " + name + ";");
            declared.stream().filter(c -> !names.containsKey(c.name().toLowerCase(Locale.ROOT)))
                    .filter(c -> c.type().equals(column.getValue()))
                    .forEach(c -> remedies.add("-- or, if it was renamed to " + c.name() + ": " + alter
                            + " RENAME COLUMN " + name + " TO " + Sql.quote(c.name()) + ";"));
        }
        return new Plan(applied, refused, remedies);
    }

    private static String refusal(Dataset dataset, Plan plan) {
        return "table " + Sql.quote(dataset.table()) + " cannot follow them without losing data: "
                + String.join("; ", plan.refused()) + ". Run these statements on the DuckDB file while duckload is"
                + " stopped, then start it again:\n"
                + plan.remedies().stream().map(s -> "  " + s).collect(Collectors.joining("\n"))
                + "\nor set duckload.datasets." + dataset.name() + ".schema-evolution=recreate to drop and recreate"
                + " the table (its rows are lost; the ledger keeps the history of its loads)";
    }

    /** The table's columns in table order, name to DuckDB type; empty when there is no such table. */
    static Map<String, String> columns(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT column_name, data_type"
                + " FROM duckdb_columns() WHERE table_name = ? AND schema_name = current_schema()"
                + " AND database_name = current_database() ORDER BY column_index")) {
            query.setString(1, table);
            return namesAndTypes(query);
        }
    }

    /**
     * {@code sha256:<hex>} of the lines {@code name type} of the table's columns in table order, as they are in
     * this transaction: what the ledger and {@code PartitionMaterialized.tableSchema} record with each load.
     */
    static String fingerprint(Connection connection, String table) throws SQLException {
        // The same canonical form as a source file's fingerprint, and the same names and types as columns() reads:
        // pragma_table_info looks up the one table (in the current database and schema, as columns() filters),
        // where duckdb_columns() lists every column of every attached database first (a third of the time).
        try (PreparedStatement query = connection.prepareStatement("SELECT name, type FROM pragma_table_info(?)")) {
            query.setString(1, Sql.quote(table));
            return new SourceSchema(namesAndTypes(query)).fingerprint();
        }
    }

    /** The rows of {@code query}, a name and a type each, in order. */
    private static Map<String, String> namesAndTypes(PreparedStatement query) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                columns.put(rs.getString(1), rs.getString(2));
            }
        }
        return columns;
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM " + table);
                ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
