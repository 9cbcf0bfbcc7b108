package io.duckload.ingest;

import java.time.Duration;

/**
 * CDI event: a load's source was brought to a local file. Observed by metrics.
 *
 * @param dataset the dataset
 * @param bytes the size of the staged file
 * @param duration how long fetching took
 */
public record SourceFetched(String dataset, long bytes, Duration duration) {
}
