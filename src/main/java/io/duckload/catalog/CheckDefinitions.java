package io.duckload.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds a dataset's checks from configuration and proves each against an empty in-memory table with the dataset's
 * columns, so that a check that does not parse or names an unknown column stops the service at start.
 */
final class CheckDefinitions {

    static final Set<String> PARTITION_PLACEHOLDERS = Set.of("rows", "partition_value", "partition_start",
            "partition_end");

    private CheckDefinitions() {
    }

    /** The checks of {@code dataset}, in name order; empty when none is configured. */
    static List<Check> build(ScratchDuckDb scratch, Dataset dataset, Map<String, CheckConfig> configs) {
        if (configs.isEmpty()) {
            return List.of();
        }
        String key = "duckload.datasets." + dataset.name() + ".checks";
        if (dataset.columns().isEmpty()) {
            throw new CatalogException(key, "checks need the dataset's columns (duckload.datasets." + dataset.name()
                    + ".columns), against which they are validated at start");
        }
        List<Check> checks = new ArrayList<>();
        try {
            scratch.run(db -> {
                List<String> columns = createTable(db, dataset, key);
                new TreeMap<>(configs).forEach((name, config) -> {
                    Check check = check(key + "." + name, name, config, dataset.partitioned(), columns);
                    check.violations().ifPresent(v -> prove(db, dataset, check, key + "." + name));
                    checks.add(check);
                });
                return null;
            });
        } catch (SQLException e) {
            throw new CatalogException(key, "cannot validate the checks in an in-memory DuckDB: " + e.getMessage());
        }
        return List.copyOf(checks);
    }

    private static Check check(String key, String name, CheckConfig config, boolean partitioned,
            List<String> columns) {
        Catalog.identifier(key, name);
        int kinds = count(config.sql(), config.minRows(), config.notNull(), config.unique(), config.maxDrop());
        if (kinds != 1) {
            throw new CatalogException(key, "set exactly one of sql, min-rows, not-null, unique, max-drop (found "
                    + kinds + ")");
        }
        if (config.sampleColumns().isPresent() && config.sql().isEmpty()) {
            throw new CatalogException(key + ".sample-columns", "only an sql check has sample columns; not-null and"
                    + " unique show their own columns");
        }
        if (config.sql().isPresent()) {
            String sql = config.sql().get().strip();
            Template template = Template.parse(key + ".sql", sql,
                    partitioned ? PARTITION_PLACEHOLDERS : Set.of("rows"));
            if (!template.uses("rows")) {
                throw new CatalogException(key + ".sql", "must read from {rows}");
            }
            if (!(sql.regionMatches(true, 0, "select", 0, 6) || sql.regionMatches(true, 0, "with", 0, 4))
                    || sql.contains(";")) {
                throw new CatalogException(key + ".sql", "must be one select statement, without ';'");
            }
            List<String> samples = config.sampleColumns().orElse(List.of()).stream().map(String::strip).toList();
            samples.forEach(c -> Catalog.identifier(key + ".sample-columns", c));
            return new Check(name, Check.Kind.SQL, config.severity(), Optional.of(template), samples, 0);
        }
        if (config.minRows().isPresent()) {
            long min = config.minRows().get();
            if (min < 1) {
                throw new CatalogException(key + ".min-rows", "must be at least 1");
            }
            return new Check(name, Check.Kind.MIN_ROWS, config.severity(), Optional.empty(), List.of(), min);
        }
        if (config.maxDrop().isPresent()) {
            double share = config.maxDrop().get();
            if (!(share >= 0 && share < 1)) {
                throw new CatalogException(key + ".max-drop", "must be a share from 0 up to (not including) 1");
            }
            return new Check(name, Check.Kind.MAX_DROP, config.severity(), Optional.empty(), List.of(), share);
        }
        boolean notNull = config.notNull().isPresent();
        String listKey = key + (notNull ? ".not-null" : ".unique");
        List<String> listed = (notNull ? config.notNull() : config.unique()).orElseThrow().stream()
                .map(String::strip).toList();
        for (String column : listed) {
            Catalog.identifier(listKey, column);
            if (!columns.contains(column)) {
                throw new CatalogException(listKey, "unknown column " + column + "; the dataset's columns are "
                        + columns);
            }
        }
        String quoted = listed.stream().map(CheckDefinitions::quote).collect(Collectors.joining(", "));
        // Built from validated identifiers of the configuration only; {rows} is bound like a configured check's.
        String sql = notNull
                ? "SELECT * FROM {rows} WHERE " + listed.stream().map(c -> quote(c) + " IS NULL")
                        .collect(Collectors.joining(" OR "))
                : "SELECT " + quoted + ", count(*) AS occurrences FROM {rows} GROUP BY " + quoted
                        + " HAVING count(*) > 1";
        return new Check(name, notNull ? Check.Kind.NOT_NULL : Check.Kind.UNIQUE, config.severity(),
                Optional.of(Template.parse(listKey, sql, Set.of("rows"))), listed, 0);
    }

    /** Prepares (parses and binds) the check's count and sample queries against the empty table. */
    private static void prove(Connection db, Dataset dataset, Check check, String key) {
        String violations = check.violations().orElseThrow().render(name -> switch (name) {
            case "rows" -> dataset.rowsRelation();
            case "partition_value" -> "CAST(? AS VARCHAR)";
            default -> "CAST(? AS DATE)";
        });
        String sqlKey = check.kind() == Check.Kind.SQL ? key + ".sql" : key;
        prepare(db, Check.countQuery(violations), sqlKey);
        if (!check.sampleColumns().isEmpty()) {
            prepare(db, Check.sampleQuery(violations, check.sampleColumns()),
                    check.kind() == Check.Kind.SQL ? key + ".sample-columns" : sqlKey);
        }
    }

    private static void prepare(Connection db, String sql, String key) {
        try (PreparedStatement ignored = db.prepareStatement(sql)) {
            // Preparing binds every name: an unknown table, column or function fails here.
        } catch (SQLException e) {
            throw new CatalogException(key, "is not a valid check over the dataset's columns: " + e.getMessage());
        }
    }

    private static List<String> createTable(Connection db, Dataset dataset, String key) throws SQLException {
        try (var statement = db.createStatement()) {
            statement.execute("CREATE TABLE " + quote(dataset.table()) + " (" + dataset.columns().orElseThrow() + ")");
        } catch (SQLException e) {
            throw new CatalogException("duckload.datasets." + dataset.name() + ".columns",
                    "not valid column definitions: " + e.getMessage());
        }
        List<String> columns = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index")) {
            query.setString(1, dataset.table());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }

    private static int count(Optional<?>... values) {
        int present = 0;
        for (Optional<?> value : values) {
            present += value.isPresent() ? 1 : 0;
        }
        return present;
    }

    private static String quote(String identifier) {
        return Check.quote(identifier);
    }
}
