package io.duckload.warehouse;

import java.time.Instant;

/**
 * An event stored in the outbox table in the same transaction as the load it announces.
 *
 * @param eventId stable id (the CloudEvents id); redeliveries carry the same id
 * @param topic Kafka topic
 * @param key Kafka key, {@code <dataset>/<partition>}
 * @param type CloudEvents type
 * @param subject CloudEvents subject
 * @param payload JSON body
 * @param createdAt CloudEvents time
 */
public record OutboxEvent(String eventId, String topic, String key, String type, String subject, String payload,
        Instant createdAt) {
}
