package io.duckload.warehouse;

import java.time.Instant;
import java.util.Optional;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.Partition;
import io.duckload.source.StagedSource;

/**
 * One load to run in one DuckDB transaction.
 *
 * @param loadId new id of this load in the ledger
 * @param requestId the request it answers
 * @param dataset what to load
 * @param partition the partition, for partitioned datasets
 * @param source the staged source file
 * @param startedAt when work on the request started (fetching included)
 */
public record LoadJob(String loadId, String requestId, Dataset dataset, Optional<Partition> partition,
        StagedSource source, Instant startedAt) {
}
