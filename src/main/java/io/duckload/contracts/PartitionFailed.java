package io.duckload.contracts;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Wire contract of topic {@code partition-failed}: a well-formed request that could not be done.
 *
 * @param requestId the request that failed
 * @param dataset dataset name as requested
 * @param partition partition key as requested (canonical when it could be parsed)
 * @param error stable code and human-readable message
 * @param attempts how many times duckload tried (more than one for transient failures)
 * @param failedAt when duckload gave up
 * @param backfill where the partition stands in the backfill that named it; absent outside backfills
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartitionFailed(String requestId, String dataset, String partition, Error error, int attempts,
        OffsetDateTime failedAt, BackfillPosition backfill) {

    /** A failure outside a backfill. */
    public PartitionFailed(String requestId, String dataset, String partition, Error error, int attempts,
            OffsetDateTime failedAt) {
        this(requestId, dataset, partition, error, attempts, failedAt, null);
    }

    /** Stable code (see the error table in docs/event-contracts.md) and message. */
    public record Error(String code, String message) {
    }
}
