package io.duckload.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

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
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO duckload_loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, job.loadId());
            insert.setString(2, job.requestId());
            insert.setString(3, job.dataset().name());
            insert.setString(4, job.dataset().table());
            insert.setString(5, job.partition().map(Partition::key).orElse(null));
            insert.setString(6, job.partition().map(Partition::value).orElse(null));
            insert.setLong(7, outcome.rowsInserted());
            insert.setLong(8, outcome.rowsDeleted());
            insert.setString(9, job.source().uri());
            insert.setLong(10, job.source().bytes());
            insert.setString(11, job.source().sha256());
            insert.setTimestamp(12, Timestamp.from(job.startedAt()));
            insert.setTimestamp(13, Timestamp.from(outcome.committedAt()));
            insert.setString(14, job.source().etag());
            insert.setString(15, CheckResult.ledgerJson(outcome.checks()));
            insert.setString(16, outcome.sourceSchema());
            insert.setString(17, outcome.tableSchema());
            insert.executeUpdate();
        }
    }

}
