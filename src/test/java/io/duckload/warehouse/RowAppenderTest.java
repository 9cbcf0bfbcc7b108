package io.duckload.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.testing.Fixtures;

/**
 * Appended rows belong to the connection's transaction, on a real DuckDB file: they roll back with it even when
 * appending is the first thing the transaction does (duckdb_jdbc only begins a transaction with a statement), and
 * they commit with their values intact (NULLs, numbers, timestamps to the microsecond).
 */
class RowAppenderTest {

    @TempDir
    Path dir;

    @Test
    void rowsAppendedFirstInATransactionRollBackWithIt() throws SQLException {
        try (Connection connection = Fixtures.open(dir.resolve("rollback.duckdb"))) {
            execute(connection, "CREATE TABLE t (name varchar, n bigint, stamp timestamptz)");
            connection.setAutoCommit(false);
            connection.commit();

            RowAppender.append(connection, "t", List.<Object[]>of(new Object[] {"first", 1L, Instant.now()}),
                    row -> row);
            assertThat(count(connection)).isEqualTo(1);
            connection.rollback();

            assertThat(count(connection)).isZero();
        }
    }

    @Test
    void committedRowsKeepTheirValues() throws SQLException {
        Instant at = Instant.parse("2026-12-06T02:05:54.023876Z");
        Path file = dir.resolve("commit.duckdb");
        try (Connection connection = Fixtures.open(file)) {
            execute(connection, "CREATE TABLE t (name varchar, n bigint, stamp timestamptz)");
            connection.setAutoCommit(false);
            RowAppender.append(connection, "t", List.of(new Object[] {"a", 42L, at}, new Object[] {null, -1, null}),
                    row -> row);
            connection.commit();
        }
        try (Connection reopened = Fixtures.open(file); Statement query = reopened.createStatement();
                ResultSet rs = query.executeQuery("SELECT name, n, epoch_us(stamp) FROM t ORDER BY n DESC")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("a");
            assertThat(rs.getLong(2)).isEqualTo(42);
            assertThat(rs.getLong(3)).isEqualTo(at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isNull();
            assertThat(rs.getLong(2)).isEqualTo(-1);
            assertThat(rs.getObject(3)).isNull();
            assertThat(rs.next()).isFalse();
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement();
                ResultSet rs = query.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
