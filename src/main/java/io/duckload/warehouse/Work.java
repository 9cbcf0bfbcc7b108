package io.duckload.warehouse;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of work on the writer's connection, run inside one transaction the {@link Writer} owns. */
@FunctionalInterface
public interface Work<T> {
    T apply(Connection connection) throws SQLException;
}
