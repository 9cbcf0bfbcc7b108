package io.duckload.catalog;

import java.time.LocalDate;

/**
 * One validated partition of a dataset.
 *
 * @param key canonical Dagster-style key, the partition's first day ("2023-03-01")
 * @param start first day of the partition, inclusive
 * @param end first day after the partition, exclusive
 * @param value what the partition column holds ("2023-03")
 */
public record Partition(String key, LocalDate start, LocalDate end, String value) {
}
