package io.duckload.outbox;

import java.time.Instant;
import java.util.List;

/**
 * An event stored in the outbox table in the same transaction as the load it announces.
 *
 * @param eventId stable id (the CloudEvents id); redeliveries carry the same id
 * @param topic Kafka topic; null for a report POSTed to an integration (its {@link Report#path()} says where)
 * @param key Kafka key, {@code <dataset>/<partition>}
 * @param type CloudEvents type
 * @param subject CloudEvents subject
 * @param payload JSON body
 * @param createdAt CloudEvents time
 */
public record OutboxEvent(String eventId, String topic, String key, String type, String subject, String payload,
        Instant createdAt) {

    /** The ids of {@code events}, in order. */
    public static List<String> ids(List<OutboxEvent> events) {
        return events.stream().map(OutboxEvent::eventId).toList();
    }

    /** This event to {@code other} (null: not to a topic). */
    OutboxEvent withTopic(String other) {
        return new OutboxEvent(eventId, other, key, type, subject, payload, createdAt);
    }
}
