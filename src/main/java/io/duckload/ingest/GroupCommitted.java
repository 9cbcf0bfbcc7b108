package io.duckload.ingest;

/**
 * CDI event: loads committed together in one transaction. Observed by metrics.
 *
 * @param loads how many loads the transaction held
 */
public record GroupCommitted(int loads) {
}
