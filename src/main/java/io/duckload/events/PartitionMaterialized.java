package io.duckload.events;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Wire contract of topic {@code partition-materialized}: a load committed to the DuckDB file.
 *
 * @param requestId the request this load answers
 * @param dataset dataset name
 * @param table target table
 * @param partition canonical partition key ("2023-03-01"), absent for unpartitioned datasets
 * @param partitionValue what the partition column holds ("2023-03")
 * @param window the partition's half-open time window (dbt's min_date / max_date)
 * @param rowsInserted rows the load inserted
 * @param rowsDeleted rows the load removed (the partition's or the table's previous rows)
 * @param loadId id of the load in the ledger table; also the CloudEvents id of this event
 * @param source the file the rows came from
 * @param database path of the DuckDB file
 * @param materializedAt when the load committed
 * @param durationMs time from the start of fetching to the commit
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartitionMaterialized(String requestId, String dataset, String table, String partition,
        String partitionValue, Window window, long rowsInserted, long rowsDeleted, String loadId, SourceInfo source,
        String database, OffsetDateTime materializedAt, long durationMs) {

    /** Half-open window [start, end) of a partition, as ISO-8601 dates. */
    public record Window(String start, String end) {
    }

    /** Where a load's rows came from: the resolved location, its size and SHA-256. */
    public record SourceInfo(String uri, long bytes, String sha256) {
    }
}
