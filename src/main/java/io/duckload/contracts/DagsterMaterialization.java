package io.duckload.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of Dagster's {@code POST /report_asset_materialization/<asset key>} (external-assets REST API) for one
 * committed load.
 *
 * @param partition the Dagster partition key ({@code 2023-03-01}); absent for unpartitioned datasets
 * @param dataVersion the load id: a new load of the same partition is a new data version
 * @param description one line for Dagster's UI
 * @param metadata what the load did, shown as the materialization's metadata
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DagsterMaterialization(String partition, @JsonProperty("data_version") String dataVersion,
        String description, Metadata metadata) {

    /**
     * The load's facts as Dagster metadata entries (plain JSON values).
     *
     * @param rowsInserted rows the load inserted
     * @param rowsDeleted rows it removed
     * @param sourceUri the source location, with query string and user-info removed
     * @param sourceSha256 hex SHA-256 of the source file
     * @param durationMs as PartitionMaterialized's: from the start of fetching to just before the commit
     * @param table target table
     * @param database path of the DuckDB file
     * @param loadId id of the load in the ledger and in PartitionMaterialized
     */
    public record Metadata(@JsonProperty("rows_inserted") long rowsInserted,
            @JsonProperty("rows_deleted") long rowsDeleted, @JsonProperty("source_uri") String sourceUri,
            @JsonProperty("source_sha256") String sourceSha256, @JsonProperty("duration_ms") long durationMs,
            String table, String database, @JsonProperty("load_id") String loadId) {
    }
}
