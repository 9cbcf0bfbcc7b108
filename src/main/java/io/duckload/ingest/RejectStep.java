package io.duckload.ingest;

import io.duckload.contracts.PartitionRequested;
import io.duckload.failure.LoadException;

/** The pipeline's hop for a request that failed validation: answers it with PartitionFailed. Blocks (a worker). */
public interface RejectStep {

    /** Answers {@code request} with PartitionFailed for {@code failure}. */
    void reject(PartitionRequested request, LoadException failure);
}
