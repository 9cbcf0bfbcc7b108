package io.duckload.outbox;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An outbox row with the destination that delivers it. A destination reaches its integration over Kafka (duckload's
 * own events, {@link OutboxTable#KAFKA}; OpenLineage's topic, {@link ReportRelay#OPENLINEAGE_KAFKA}), where the
 * event's {@code topic} says where, or over HTTP ({@link ReportRelay#DAGSTER}, {@link ReportRelay#OPENLINEAGE}), where
 * {@code path} does; exactly one of the two is set.
 *
 * @param destination which integration delivers it
 * @param path for a destination over HTTP, the path below its base URL ({@code ""}: the URL itself); null over Kafka
 * @param event the row; its {@code topic} is null for a destination over HTTP
 */
public record Report(String destination, String path, OutboxEvent event) {

    /** The destinations that POST their rows; the outbox table's {@code topic} column holds their path. */
    private static final Set<String> OVER_HTTP = Set.of(ReportRelay.DAGSTER, ReportRelay.OPENLINEAGE);

    public Report {
        Objects.requireNonNull(destination, "destination");
        if ((path == null) == (event.topic() == null)) {
            throw new IllegalArgumentException("a " + destination + " row goes to a Kafka topic or an HTTP path,"
                    + " exactly one: topic " + event.topic() + ", path " + path);
        }
    }

    /** {@code event} for {@code destination} over Kafka, to the event's topic. */
    public static Report toTopic(String destination, OutboxEvent event) {
        return new Report(destination, null, event);
    }

    /** {@code event} (without topic) for {@code destination} over HTTP, POSTed to {@code path} below its base URL. */
    public static Report toPath(String destination, String path, OutboxEvent event) {
        return new Report(destination, path, event);
    }

    /**
     * A row as the outbox table stores it: its {@code topic} column, older than the HTTP destinations, holds the
     * path of a row for one of them.
     */
    static Report stored(String destination, OutboxEvent row) {
        return OVER_HTTP.contains(destination) ? toPath(destination, row.topic(), row.withTopic(null))
                : toTopic(destination, row);
    }

    /** What the outbox table's {@code topic} column holds for this row (see {@link #stored}). */
    String topicColumn() {
        return path != null ? path : event.topic();
    }

    /** The event ids of {@code reports}, in order. */
    public static List<String> ids(List<Report> reports) {
        return reports.stream().map(report -> report.event().eventId()).toList();
    }
}
