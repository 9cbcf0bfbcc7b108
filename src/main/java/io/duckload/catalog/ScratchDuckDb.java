package io.duckload.catalog;

import java.sql.Connection;
import java.sql.SQLException;

import org.duckdb.DuckDBDriver;

/**
 * One small in-memory DuckDB that validates a whole catalog at start: the column definitions and checks of every
 * dataset run in it, each step in its own transaction that is rolled back, so steps never see each other's tables.
 * Opening a DuckDB instance costs tens of milliseconds; the catalog used to open one per step.
 */
final class ScratchDuckDb implements AutoCloseable {

    /** A step that works in the scratch database. */
    @FunctionalInterface
    interface Step<T> {
        T apply(Connection db) throws SQLException;
    }

    private final Connection db;

    private ScratchDuckDb(Connection db) {
        this.db = db;
    }

    /** Opens it; {@code key} names the setting being validated should DuckDB itself fail to start. */
    static ScratchDuckDb open(String key) {
        try {
            Connection db = inMemory();
            db.setAutoCommit(false);
            return new ScratchDuckDb(db);
        } catch (SQLException e) {
            throw new CatalogException(key, "cannot start an in-memory DuckDB to validate it: " + e.getMessage());
        }
    }

    /**
     * A small in-memory DuckDB ({@link DuckDbConfig#smallInMemorySettings}): it only creates empty tables and plans
     * checks against them. The driver is named directly: DriverManager's service lookup depends on the class loader
     * the catalog happens to be built in.
     */
    private static Connection inMemory() throws SQLException {
        return new DuckDBDriver().connect("jdbc:duckdb:", DuckDbConfig.smallInMemorySettings());
    }

    /** Runs {@code step} and rolls back whatever it created. */
    <T> T run(Step<T> step) throws SQLException {
        try {
            return step.apply(db);
        } finally {
            db.rollback();
        }
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // Nothing was kept in it.
        }
    }
}
