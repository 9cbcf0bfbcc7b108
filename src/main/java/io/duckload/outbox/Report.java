package io.duckload.outbox;

/**
 * An outbox row for an integration other than duckload's own Kafka events.
 *
 * @param destination which integration delivers it ({@link ReportRelay#DAGSTER}, {@link ReportRelay#OPENLINEAGE},
 *        {@link ReportRelay#OPENLINEAGE_KAFKA})
 * @param event the row: for HTTP destinations {@code topic} is the path below the base URL
 */
public record Report(String destination, OutboxEvent event) {
}
