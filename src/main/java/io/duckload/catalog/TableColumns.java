package io.duckload.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A dataset's declared {@code columns} as DuckDB normalizes them ({@code int}, {@code int4} and {@code integer} are
 * all {@code INTEGER}; {@code varchar(20)} is {@code VARCHAR}), read back from an empty table created with them in
 * an in-memory DuckDB, so that they compare with an existing table's columns.
 *
 * @param columns the columns in declared order
 */
public record TableColumns(List<Column> columns) {

    /**
     * One declared column.
     *
     * @param name the column's name as declared
     * @param type DuckDB's name of its type, e.g. {@code BIGINT}, {@code DECIMAL(18,3)}
     * @param notNull whether it is declared {@code NOT NULL}
     * @param defaultValue its default expression, if declared
     */
    public record Column(String name, String type, boolean notNull, Optional<String> defaultValue) {
    }

    public TableColumns {
        columns = List.copyOf(columns);
    }

    /** Column names in declared order. */
    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    /** Normalizes {@code definitions} of {@code table}; invalid definitions stop the service naming {@code key}. */
    public static TableColumns declare(String key, String table, String definitions) {
        try (ScratchDuckDb scratch = ScratchDuckDb.open(key)) {
            return declare(scratch, key, table, definitions);
        }
    }

    static TableColumns declare(ScratchDuckDb scratch, String key, String table, String definitions) {
        try {
            return scratch.run(db -> read(db, key, table, definitions));
        } catch (SQLException e) {
            throw new CatalogException(key, "cannot read the column definitions in an in-memory DuckDB: "
                    + e.getMessage());
        }
    }

    private static TableColumns read(Connection db, String key, String table, String definitions)
            throws SQLException {
        try (var statement = db.createStatement()) {
            statement.execute("CREATE TABLE " + Check.quote(table) + " (" + definitions + ")");
        } catch (SQLException e) {
            throw new CatalogException(key, "not valid column definitions: " + e.getMessage());
        }
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("SELECT column_name, data_type, is_nullable,"
                + " column_default FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString(1), rs.getString(2), !rs.getBoolean(3),
                            Optional.ofNullable(rs.getString(4))));
                }
            }
        }
        return new TableColumns(columns);
    }
}
