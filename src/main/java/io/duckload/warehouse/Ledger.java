package io.duckload.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.duckload.catalog.Partition;

/** The load ledger {@code duckload_loads}: one row per committed load, written in the load's own transaction. */
@ApplicationScoped
public class Ledger implements Tables {

    private final ObjectMapper mapper;

    /** {@code mapper}: the service's own, which also writes the checks of PartitionMaterialized. */
    public Ledger(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void create(Connection connection) throws SQLException {
        PartitionLoader.execute(connection, """
                CREATE TABLE IF NOT EXISTS duckload_loads (
                    load_id varchar, request_id varchar, dataset varchar, table_name varchar,
                    partition_key varchar, partition_value varchar, rows_inserted bigint, rows_deleted bigint,
                    source_uri varchar, source_bytes bigint, source_sha256 varchar,
                    started_at timestamptz, finished_at timestamptz, source_etag varchar)""");
        PartitionLoader.execute(connection, "ALTER TABLE duckload_loads ADD COLUMN IF NOT EXISTS source_etag varchar");
        // JSON array of the load's check results, PartitionMaterialized's CheckOutcome [{name, severity, passed,
        // violations}] (the API reads it back as such); NULL before checks existed.
        PartitionLoader.execute(connection, "ALTER TABLE duckload_loads ADD COLUMN IF NOT EXISTS checks varchar");
        // Fingerprint of the source file's columns (sha256:<hex>), so drift between loads can be queried.
        PartitionLoader.execute(connection,
                "ALTER TABLE duckload_loads ADD COLUMN IF NOT EXISTS source_schema varchar");
        // Fingerprint of the table's columns after the load (sha256:<hex>), so a consumer sees the table change.
        PartitionLoader.execute(connection,
                "ALTER TABLE duckload_loads ADD COLUMN IF NOT EXISTS table_schema varchar");
    }

    /** Records {@code job}'s load with what it changed; part of the load's transaction. */
    public void record(Connection connection, LoadJob job, LoadOutcome outcome) throws SQLException {
        record(connection, List.of(new Entry(job, outcome)));
    }

    /** A committed load and what it changed: one ledger row. */
    public record Entry(LoadJob job, LoadOutcome outcome) {
    }

    /**
     * Records the loads of one transaction, appended in the table's column order (cheaper than a statement of bound
     * values by an order of magnitude for a group commit's many rows).
     */
    public void record(Connection connection, List<Entry> entries) throws SQLException {
        RowAppender.append(connection, "duckload_loads", entries, entry -> columns(entry.job(), entry.outcome()));
    }

    /** A ledger row's values, in the table's column order. */
    private Object[] columns(LoadJob job, LoadOutcome outcome) {
        return new Object[] {job.loadId(), job.requestId(), job.dataset().name(), job.dataset().table(),
                job.partition().map(Partition::key).orElse(null), job.partition().map(Partition::value).orElse(null),
                outcome.rowsInserted(), outcome.rowsDeleted(), job.source().uri(), job.source().bytes(),
                job.source().sha256(), job.startedAt(), outcome.committedAt(), job.source().etag(),
                checksJson(outcome.checks()), outcome.sourceSchema(), outcome.tableSchema()};
    }

    /** The results as the ledger keeps them: a JSON array of {@link CheckResult#outcome()}s. */
    String checksJson(List<CheckResult> checks) {
        try {
            return mapper.writeValueAsString(checks.stream().map(CheckResult::outcome).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("check outcomes always serialize", e);
        }
    }
}
