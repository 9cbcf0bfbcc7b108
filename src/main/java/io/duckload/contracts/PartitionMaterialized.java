package io.duckload.contracts;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

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
 * @param durationMs time from the start of fetching to the end of the load's statements and checks, just before
 *        the ledger and outbox rows and the commit (this event is stored in that transaction)
 * @param backfill where the partition stands in the backfill that named it; absent outside backfills
 * @param export path of the parquet file holding the partition (or table) as committed; absent without export
 * @param dbt what a dbt run triggered by this event should build; absent unless the dataset configures it
 * @param checks the results of the dataset's checks on this load; absent when the dataset has none
 * @param tableSchema fingerprint of the table's columns after the load ({@code sha256:<hex>} of the lines
 *        {@code name type} in table order); it changes when the table follows changed declared columns
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartitionMaterialized(String requestId, String dataset, String table, String partition,
        String partitionValue, Window window, long rowsInserted, long rowsDeleted, String loadId, SourceInfo source,
        String database, OffsetDateTime materializedAt, long durationMs, String export, Dbt dbt,
        BackfillPosition backfill, List<CheckOutcome> checks, String tableSchema) {

    /** An event without a table schema fingerprint. */
    public PartitionMaterialized(String requestId, String dataset, String table, String partition,
            String partitionValue, Window window, long rowsInserted, long rowsDeleted, String loadId,
            SourceInfo source, String database, OffsetDateTime materializedAt, long durationMs, String export,
            Dbt dbt, BackfillPosition backfill, List<CheckOutcome> checks) {
        this(requestId, dataset, table, partition, partitionValue, window, rowsInserted, rowsDeleted, loadId, source,
                database, materializedAt, durationMs, export, dbt, backfill, checks, null);
    }

    /** An event without checks. */
    public PartitionMaterialized(String requestId, String dataset, String table, String partition,
            String partitionValue, Window window, long rowsInserted, long rowsDeleted, String loadId,
            SourceInfo source, String database, OffsetDateTime materializedAt, long durationMs, String export,
            Dbt dbt, BackfillPosition backfill) {
        this(requestId, dataset, table, partition, partitionValue, window, rowsInserted, rowsDeleted, loadId, source,
                database, materializedAt, durationMs, export, dbt, backfill, (List<CheckOutcome>) null);
    }

    /** An event outside a backfill. */
    public PartitionMaterialized(String requestId, String dataset, String table, String partition,
            String partitionValue, Window window, long rowsInserted, long rowsDeleted, String loadId,
            SourceInfo source, String database, OffsetDateTime materializedAt, long durationMs, String export,
            Dbt dbt) {
        this(requestId, dataset, table, partition, partitionValue, window, rowsInserted, rowsDeleted, loadId, source,
                database, materializedAt, durationMs, export, dbt, null);
    }

    /** An event without parquet export and without dbt selection. */
    public PartitionMaterialized(String requestId, String dataset, String table, String partition,
            String partitionValue, Window window, long rowsInserted, long rowsDeleted, String loadId,
            SourceInfo source, String database, OffsetDateTime materializedAt, long durationMs) {
        this(requestId, dataset, table, partition, partitionValue, window, rowsInserted, rowsDeleted, loadId, source,
                database, materializedAt, durationMs, null, null, null);
    }

    /**
     * Arguments of {@code dbt build --select <select> --vars '<vars as JSON>'}.
     *
     * @param vars the partition window as dbt vars; absent for unpartitioned datasets
     * @param select dbt node selection configured for the dataset
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Dbt(DbtVars vars, String select) {
    }

    /** The dbt vars of a partition, named as the Dagster + dbt example's incremental models expect them. */
    public record DbtVars(@JsonProperty("min_date") String minDate, @JsonProperty("max_date") String maxDate) {
    }

    /**
     * One check's result on this load.
     *
     * @param name the check's name in the catalog
     * @param severity {@code error} or {@code warn}; a failed error check never reaches this event (the load is
     *        rolled back)
     * @param passed whether the load met the check
     * @param violations how many rows (or keys, or missing rows) violate it; 0 when passed
     */
    public record CheckOutcome(String name, String severity, boolean passed, long violations) {
    }

    /** Half-open window [start, end) of a partition, as ISO-8601 dates. */
    public record Window(String start, String end) {
    }

    /**
     * Where a load's rows came from: the resolved location, its size and SHA-256, the ETag the server or bucket
     * gave it (omitted for local files and servers that send none), and a fingerprint of its columns
     * ({@code sha256:<hex>} of their names and types in file order), which changes when the upstream layout drifts.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SourceInfo(String uri, long bytes, String sha256, String etag, String schema) {

        /** A source whose schema fingerprint is not reported. */
        public SourceInfo(String uri, long bytes, String sha256, String etag) {
            this(uri, bytes, sha256, etag, null);
        }

        /** A source without an ETag. */
        public SourceInfo(String uri, long bytes, String sha256) {
            this(uri, bytes, sha256, null);
        }
    }
}
