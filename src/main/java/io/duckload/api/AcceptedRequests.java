package io.duckload.api;

import java.util.List;

/**
 * Answer of a request POST: the PartitionRequested records the broker acknowledged.
 *
 * @param dataset the dataset requested
 * @param requests one entry per partition, in order
 */
public record AcceptedRequests(String dataset, List<Accepted> requests) {

    /** One published request: its id and canonical partition key (absent for an unpartitioned dataset). */
    public record Accepted(String requestId, String partition) {
    }
}
