package io.duckload.warehouse;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.jboss.logging.Logger;

import io.duckload.failure.DuckDbErrors;

/** One unit of work's transaction on the writer's connection: commit, or roll back and classify DuckDB's error. */
final class Transaction {

    private static final Logger LOG = Logger.getLogger(Transaction.class);

    private Transaction() {
    }

    /** Runs {@code work} in one transaction on {@code file} (attaching it first if needed); writer thread only. */
    static <T> T run(WriterFile file, Path database, Work<T> work) {
        Connection connection;
        try {
            connection = file.get();
        } catch (SQLException | IOException e) {
            throw DuckDbErrors.classifyOpen(database.toString(), e);
        }
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(connection);
                connection.commit();
                file.known().committed();
                return result;
            } catch (SQLException | RuntimeException e) {
                file.known().rolledBack();
                rollback(connection, e);
                if (e instanceof SQLException sql) {
                    throw DuckDbErrors.classify(sql);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw DuckDbErrors.classify(e);
        }
    }

    /**
     * CHECKPOINT after a commit: DuckDB writes what the WAL holds into the file, reading back the blocks it rewrites
     * (where it finds a corrupt one). Skipped while a reader beside the writer has a transaction open (DuckDB refuses
     * then): the release checkpoints the file.
     */
    static void checkpoint(WriterFile file) {
        try (Statement statement = file.get().createStatement()) {
            file.get().setAutoCommit(true);
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("Cannot CHECKPOINT")) {
                LOG.debugf("Checkpoint before the announcement skipped: %s", e.getMessage());
                return;
            }
            throw DuckDbErrors.classify(e);
        } catch (IOException e) {
            throw new IllegalStateException("the file is attached while its unit runs", e);
        }
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
            LOG.warnf("Rollback failed: %s", e.getMessage());
        }
    }
}
