package io.duckload.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.duckload.catalog.Partition;

/** The load ledger {@code duckload_loads}: one row per committed load, written in the load's own transaction. */
@ApplicationScoped
public class Ledger implements Tables {

    @Override
    public void create(Connection connection) throws SQLException {
        PartitionLoader.execute(connection, """
                CREATE TABLE IF NOT EXISTS duckload_loads (
                    load_id varchar, request_id varchar, dataset varchar, table_name varchar,
                    partition_key varchar, partition_value varchar, rows_inserted bigint, rows_deleted bigint,
                    source_uri varchar, source_bytes bigint, source_sha256 varchar,
                    started_at timestamptz, finished_at timestamptz, source_etag varchar)""");
        PartitionLoader.execute(connection, "ALTER TABLE duckload_loads ADD COLUMN IF NOT EXISTS source_etag varchar");
        // JSON array of the load's check results [{name, severity, passed, violations}]; NULL before checks existed.
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

    /** Records the loads of one transaction with as few statements as their number allows. */
    public void record(Connection connection, List<Entry> entries) throws SQLException {
        for (List<Entry> chunk : Sql.chunks(entries)) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO duckload_loads VALUES "
                    + Sql.rows(chunk.size(), "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))) {
                int i = 0;
                for (Entry entry : chunk) {
                    i = bind(insert, i, entry.job(), entry.outcome());
                }
                insert.executeUpdate();
            }
        }
    }

    private static int bind(PreparedStatement insert, int i, LoadJob job, LoadOutcome outcome) throws SQLException {
        insert.setString(++i, job.loadId());
        insert.setString(++i, job.requestId());
        insert.setString(++i, job.dataset().name());
        insert.setString(++i, job.dataset().table());
        insert.setString(++i, job.partition().map(Partition::key).orElse(null));
        insert.setString(++i, job.partition().map(Partition::value).orElse(null));
        insert.setLong(++i, outcome.rowsInserted());
        insert.setLong(++i, outcome.rowsDeleted());
        insert.setString(++i, job.source().uri());
        insert.setLong(++i, job.source().bytes());
        insert.setString(++i, job.source().sha256());
        insert.setTimestamp(++i, Timestamp.from(job.startedAt()));
        insert.setTimestamp(++i, Timestamp.from(outcome.committedAt()));
        insert.setString(++i, job.source().etag());
        insert.setString(++i, CheckResult.ledgerJson(outcome.checks()));
        insert.setString(++i, outcome.sourceSchema());
        insert.setString(++i, outcome.tableSchema());
        return i;
    }
}
