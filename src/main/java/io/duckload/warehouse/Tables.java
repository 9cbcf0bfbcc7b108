package io.duckload.warehouse;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * duckload's own bookkeeping tables inside the DuckDB file (the ledger, the outbox): every bean of this type is
 * asked to create its tables by the {@link Writer} at start, before any other work runs.
 */
public interface Tables {
    /** Creates or upgrades the tables; runs in the writer's start transaction. */
    void create(Connection connection) throws SQLException;
}
