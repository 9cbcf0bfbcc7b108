package io.duckload.contracts;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Wire contract of topic {@code partition-requested}: asks duckload to materialize one partition of a dataset, or
 * a range of them (a backfill).
 *
 * @param requestId caller's id for this request; generated when absent
 * @param dataset name of a dataset in the catalog
 * @param partition partition key ("2023-03-01"; "2023-03" is accepted for monthly partitions); absent for
 *        unpartitioned datasets and for backfills
 * @param requestedAt when the caller asked, if it says
 * @param partitions a backfill: every partition from {@code from} to {@code to}, both included, in order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartitionRequested(String requestId, String dataset, String partition, OffsetDateTime requestedAt,
        Range partitions) {

    public PartitionRequested(String requestId, String dataset, String partition, OffsetDateTime requestedAt) {
        this(requestId, dataset, partition, requestedAt, null);
    }

    /** First and last partition key of a backfill, both included. */
    public record Range(String from, String to) {
    }

    /**
     * The Kafka key of a request for {@code partition} of {@code dataset}, and the key and CloudEvents subject of
     * the events that answer it: {@code <dataset>/<partition>}, or {@code <dataset>} for an unpartitioned dataset.
     */
    public static String key(String dataset, String partition) {
        return partition == null ? dataset : dataset + "/" + partition;
    }

    public PartitionRequested withRequestId(String id) {
        return new PartitionRequested(id, dataset, partition, requestedAt, partitions);
    }
}
