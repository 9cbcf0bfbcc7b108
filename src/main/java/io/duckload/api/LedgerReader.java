package io.duckload.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.duckload.contracts.PartitionMaterialized.CheckOutcome;
import io.duckload.warehouse.Writer;

/**
 * Reads the load ledger with read-only queries beside the single writer ({@link Writer#readBeside}): while the file
 * is attached the API does not wait for the writer thread's unit in progress.
 */
@ApplicationScoped
public class LedgerReader {

    static final String UNPARTITIONED = "";

    private static final String LATEST_LOADS = """
            SELECT coalesce(partition_key, ''), rows_inserted, started_at, finished_at, checks
            FROM duckload_loads WHERE dataset = ?
            QUALIFY row_number() OVER (PARTITION BY partition_key ORDER BY finished_at DESC) = 1""";

    /** How long a read waits for the file while another process (dbt) holds it. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Writer writer;
    private final ObjectMapper mapper;

    public LedgerReader(Writer writer, ObjectMapper mapper) {
        this.writer = writer;
        this.mapper = mapper;
    }

    /**
     * The latest committed load of each partition of {@code dataset}, keyed by partition ("" if unpartitioned).
     * One read at a time, beside the writer (or as a unit of its own while the file is released).
     */
    public synchronized Map<String, Load> latestLoads(String dataset) {
        try {
            return writer.readBeside(connection -> read(connection, dataset), READ_TIMEOUT);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the load ledger: " + e.getMessage(), e);
        } finally {
            // A read may have attached the idle file; hand it back to dbt.
            writer.releaseIfIdle();
        }
    }

    private Map<String, Load> read(Connection connection, String dataset) throws SQLException {
        Map<String, Load> loads = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(LATEST_LOADS)) {
            query.setString(1, dataset);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    loads.put(rs.getString(1), new Load(rs.getLong(2), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant(), checks(rs.getString(5))));
                }
            }
        }
        return loads;
    }

    /** The ledger's JSON of a load's check results; empty for loads without checks (or before checks existed). */
    private List<CheckOutcome> checks(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return List.of(mapper.readValue(json, CheckOutcome[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable checks in the load ledger: " + json, e);
        }
    }

    /** One committed load: rows inserted, when fetching started and when it committed, its check results. */
    public record Load(long rows, Instant startedAt, Instant finishedAt, List<CheckOutcome> checks) {
    }
}
