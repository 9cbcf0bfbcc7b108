package io.duckload.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of Dagster's {@code POST /report_asset_check/<asset key>} (external-assets REST API): one check of one
 * committed load.
 *
 * @param checkName the check's name in the catalog ({@code duckload.datasets.<d>.checks.<name>})
 * @param passed whether the load met the check
 * @param severity {@code ERROR} or {@code WARN}, Dagster's {@code AssetCheckSeverity}
 * @param metadata violations, the partition and the load it was evaluated on
 */
public record DagsterCheckEvaluation(@JsonProperty("check_name") String checkName, boolean passed, String severity,
        Metadata metadata) {

    /**
     * @param violations violating rows (0 when passed)
     * @param partition the Dagster partition key; absent for unpartitioned datasets
     * @param loadId the load the check ran on, as in the materialization's {@code data_version}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Metadata(long violations, String partition, @JsonProperty("load_id") String loadId) {
    }
}
