package io.duckload.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;
import org.jboss.logging.Logger;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.DuckDbConfig;
import io.duckload.source.StagedSource;

/**
 * Describes staged source files before their loads reach the writer, on a small in-memory DuckDB of its own (one
 * thread, 64 MB), so the writer does not spend a statement per load reading a file's metadata or sniffing a CSV
 * while other loads wait. The staged file does not change afterwards and the dataset's reader is the same, so the
 * writer's load sees the columns described here.
 */
@ApplicationScoped
public class SourceInspector {

    private static final Logger LOG = Logger.getLogger(SourceInspector.class);

    /** Connections kept between describes; more run at once when more workers describe, closed afterwards. */
    static final int IDLE_CONNECTIONS = 4;

    private DuckDBConnection database;
    private final Deque<Describer> idle = new ArrayDeque<>();

    /**
     * The columns of {@code source} as {@code dataset}'s reader sees them; empty when they cannot be described here,
     * and then the writer describes them itself and reports what is wrong with the file, as it always did.
     */
    public Optional<SourceSchema> describe(Dataset dataset, StagedSource source) {
        Describer describer = null;
        try {
            describer = take();
            SourceSchema schema = describer.describe(dataset, source);
            giveBack(describer);
            describer = null;
            return Optional.of(schema);
        } catch (SQLException e) {
            LOG.debugf("Source %s not described before its load: %s", source.uri(), e.getMessage());
            return Optional.empty();
        } finally {
            if (describer != null) {
                // After a failure the connection's state is not known: it is not reused.
                describer.close();
            }
        }
    }

    private synchronized Describer take() throws SQLException {
        Describer describer = idle.pollFirst();
        if (describer != null) {
            return describer;
        }
        if (database == null) {
            database = (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:",
                    DuckDbConfig.smallInMemorySettings());
        }
        return new Describer(database.duplicate());
    }

    private void giveBack(Describer describer) {
        synchronized (this) {
            if (database != null && idle.size() < IDLE_CONNECTIONS) {
                idle.addFirst(describer);
                return;
            }
        }
        describer.close();
    }

    /** Connections idle now (for tests). */
    synchronized int idleConnections() {
        return idle.size();
    }

    @PreDestroy
    synchronized void close() throws SQLException {
        idle.forEach(Describer::close);
        idle.clear();
        if (database != null) {
            database.close();
            database = null;
        }
    }

    /**
     * A connection of the inspector's database with its describe statements, one per format and reader options,
     * prepared once: preparing is half of what a describe of a small file costs.
     */
    private static final class Describer {

        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        Describer(Connection connection) {
            this.connection = connection;
        }

        SourceSchema describe(Dataset dataset, StagedSource source) throws SQLException {
            String sql = SourceSchema.describeSql(dataset, source);
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return SourceSchema.describe(statement, source);
        }

        void close() {
            try {
                for (PreparedStatement statement : statements.values()) {
                    statement.close();
                }
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("Closing a describe connection: %s", e.getMessage());
            }
        }
    }
}
