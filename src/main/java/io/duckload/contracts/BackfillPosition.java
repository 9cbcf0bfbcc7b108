package io.duckload.contracts;

/**
 * Where an event's partition stands in the backfill request that named it.
 *
 * @param id request id of the backfill
 * @param index position of this partition in the backfill, from 1
 * @param total number of partitions the backfill names
 */
public record BackfillPosition(String id, int index, int total) {
}
