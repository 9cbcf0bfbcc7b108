package io.duckload.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
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

    private DuckDBConnection database;

    /**
     * The columns of {@code source} as {@code dataset}'s reader sees them; empty when they cannot be described here,
     * and then the writer describes them itself and reports what is wrong with the file, as it always did.
     */
    public Optional<SourceSchema> describe(Dataset dataset, StagedSource source) {
        try (Connection connection = database().duplicate()) {
            return Optional.of(SourceSchema.describe(connection, dataset, source));
        } catch (SQLException e) {
            LOG.debugf("Source %s not described before its load: %s", source.uri(), e.getMessage());
            return Optional.empty();
        }
    }

    private synchronized DuckDBConnection database() throws SQLException {
        if (database == null) {
            database = (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:",
                    DuckDbConfig.smallInMemorySettings());
        }
        return database;
    }

    @PreDestroy
    synchronized void close() throws SQLException {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
