package io.duckload.ingest;

import java.time.Duration;

/**
 * CDI event: a load committed and its events were acknowledged by the broker. Observed by metrics.
 *
 * @param dataset the dataset
 * @param partition its partition key, null when unpartitioned
 * @param rowsInserted rows the load inserted
 * @param duration from the start of fetching until the commit returned (ledger, outbox rows and commit included)
 */
public record LoadCommitted(String dataset, String partition, long rowsInserted, Duration duration) {
}
