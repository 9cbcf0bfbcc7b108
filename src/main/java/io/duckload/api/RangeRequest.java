package io.duckload.api;

/**
 * Body of {@code POST /datasets/{name}/requests}: the partitions from {@code from} to {@code to}, both included.
 * Both absent for an unpartitioned dataset; {@code to} defaults to {@code from}.
 *
 * @param from first partition key, e.g. {@code 2023-01} or {@code 2023-01-01}
 * @param to last partition key
 */
public record RangeRequest(String from, String to) {
}
