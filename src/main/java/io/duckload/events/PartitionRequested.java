package io.duckload.events;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Wire contract of topic {@code partition-requested}: asks duckload to materialize one partition of a dataset.
 *
 * @param requestId caller's id for this request; generated when absent
 * @param dataset name of a dataset in the catalog
 * @param partition partition key ("2023-03-01"; "2023-03" is accepted for monthly partitions); absent for
 *        unpartitioned datasets
 * @param requestedAt when the caller asked, if it says
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartitionRequested(String requestId, String dataset, String partition, OffsetDateTime requestedAt) {
}
