package io.duckload.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import io.duckload.contracts.PartitionMaterialized.CheckOutcome;

/**
 * Where one partition of a dataset stands.
 *
 * @param partition canonical partition key ("2023-03-01"); absent for an unpartitioned dataset
 * @param value what the partition column holds ("2023-03")
 * @param status the outcome of the latest request: a committed load, a failure, or never requested
 * @param rows rows inserted by the latest committed load
 * @param lastLoadAt when the latest committed load committed
 * @param durationMs how long the latest committed load took, from the start of fetching to just before the commit
 * @param failure the latest failure, when it is newer than the latest committed load
 * @param checks the check results of the latest committed load; absent when it ran none
 * @param warned true when a warn check failed on the latest committed load
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartitionStatus(String partition, String value, Status status, Long rows, Instant lastLoadAt,
        Long durationMs, FailureLog.Failure failure, List<CheckOutcome> checks, Boolean warned) {

    /** Outcome of the latest request for a partition. */
    public enum Status {
        MATERIALIZED, FAILED, NEVER;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
