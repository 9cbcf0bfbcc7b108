package io.duckload.ingest;

import io.duckload.failure.LoadException;

/**
 * CDI event: a request was answered with PartitionFailed. Observed by metrics and the API's failure log.
 *
 * @param dataset the dataset as the request named it (perhaps not one of the catalog)
 * @param partition the partition key, normalized when it was valid; null when the request named none
 * @param failure the code and message the event carries
 */
public record RequestFailed(String dataset, String partition, LoadException failure) {
}
