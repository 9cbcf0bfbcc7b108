package io.duckload.ingest;

import java.util.Optional;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.Partition;
import io.duckload.contracts.BackfillPosition;
import io.duckload.contracts.PartitionRequested;

/**
 * One partition (or one unpartitioned dataset) a request asks for, validated against the catalog once: the unit of
 * work that travels through the pipeline to the writer and into the events that answer it.
 *
 * @param requestId the id its events carry: the request's own, or {@code <backfill id>/<partition>} in a backfill
 * @param dataset the catalog's dataset
 * @param partition the normalized partition, for a partitioned dataset
 * @param backfill where the partition stands in the backfill that named it, if one did
 */
public record PlannedLoad(String requestId, Dataset dataset, Optional<Partition> partition,
        Optional<BackfillPosition> backfill) {

    /** The partition's key ({@code 2023-03-01}), or null for an unpartitioned dataset. */
    public String partitionKey() {
        return partition.map(Partition::key).orElse(null);
    }

    /** {@code <dataset>/<partition>}: loads with the same key run in arrival order. */
    public String key() {
        return PartitionRequested.key(dataset.name(), partitionKey());
    }
}
