package io.duckload.testing;

import org.awaitility.Awaitility;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Sends requests and watches duckload's output topics, as a user of the service would. The output topics are read
 * from the earliest offset and shared by every test against one broker, so lookups match on a test's own request
 * id or record key only: use {@link #unique} for every id and key a test makes up.
 */
public final class EventLog implements AutoCloseable {

    public static final String REQUESTS = "partition-requested";
    public static final String MATERIALIZED = "partition-materialized";
    public static final String FAILED = "partition-failed";
    public static final String DLQ = "partition-requested-dlq";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final KafkaCompanion companion;
    private final ConsumerTask<String, String> output;

    public EventLog(KafkaCompanion companion) {
        this.companion = companion;
        this.output = companion.consumeStrings()
                .withGroupId("test-" + UUID.randomUUID())
                .withOffsetReset(org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST)
                .fromTopics(MATERIALIZED, FAILED, DLQ);
    }

    /** {@code prefix} and a suffix no other test or run uses: for request ids, record keys and backfill ids. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** Sends a PartitionRequested with a fresh requestId and returns that id. */
    public String request(String dataset, String partition) {
        String requestId = UUID.randomUUID().toString();
        send(dataset + "/" + partition, body(requestId, dataset, partition));
        return requestId;
    }

    private static String body(String requestId, String dataset, String partition) {
        return partition == null
                ? "{\"requestId\":\"%s\",\"dataset\":\"%s\"}".formatted(requestId, dataset)
                : "{\"requestId\":\"%s\",\"dataset\":\"%s\",\"partition\":\"%s\"}".formatted(requestId, dataset,
                        partition);
    }

    /** Sends a PartitionRequested for each of {@code partitions} in one batch; returns their request ids. */
    public List<String> requestAll(String dataset, List<String> partitions) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String partition : partitions) {
            String requestId = UUID.randomUUID().toString();
            ids.add(requestId);
            records.add(new ProducerRecord<>(REQUESTS, dataset + "/" + partition, body(requestId, dataset, partition)));
        }
        companion.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(60));
        return ids;
    }

    /** Waits until each of {@code requestIds} was answered on {@link #MATERIALIZED} or {@link #FAILED}. */
    public void awaitAllAnswered(List<String> requestIds, Duration atMost) {
        Set<String> pending = new HashSet<>(requestIds);
        int[] seen = { 0 };
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
            // A snapshot: the consumer appends to the list it returns while this runs.
            List<ConsumerRecord<String, String>> all = List.copyOf(output.getRecords());
            all.subList(seen[0], all.size()).stream().filter(r -> !r.topic().equals(DLQ))
                    .forEach(r -> pending.remove(json(r).path("requestId").asText()));
            seen[0] = all.size();
            return pending.isEmpty();
        });
    }

    public void send(String key, String body) {
        send(new ProducerRecord<>(REQUESTS, key, body));
    }

    public void send(ProducerRecord<String, String> record) {
        companion.produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(30));
    }

    /** Waits for the event on {@code topic} answering {@code requestId}. */
    public JsonNode awaitEvent(String topic, String requestId) {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> find(topic, requestId), Optional::isPresent).get();
    }

    public Optional<JsonNode> find(String topic, String requestId) {
        return answers(topic, requestId).stream().map(EventLog::json).findFirst();
    }

    /** Every record on {@code topic} answering {@code requestId}, in the order they were written. */
    public List<ConsumerRecord<String, String>> answers(String topic, String requestId) {
        return records(topic).stream().filter(r -> requestId.equals(json(r).path("requestId").asText())).toList();
    }

    /** Waits for the record on {@code topic} answering {@code requestId}, headers and key included. */
    public ConsumerRecord<String, String> awaitAnswer(String topic, String requestId) {
        return awaitRecord(topic, r -> requestId.equals(json(r).path("requestId").asText())).orElseThrow();
    }

    /** Waits for the dead letter of the record sent with {@code key} (make the key {@link #unique}). */
    public ConsumerRecord<String, String> awaitDeadLetter(String key) {
        return awaitRecord(DLQ, r -> key.equals(r.key())).orElseThrow();
    }

    /** Every record seen on {@code topic} so far. */
    public List<ConsumerRecord<String, String>> records(String topic) {
        return output.getRecords().stream().filter(r -> r.topic().equals(topic)).toList();
    }

    public Optional<ConsumerRecord<String, String>> awaitRecord(String topic, java.util.function.Predicate<ConsumerRecord<String, String>> match) {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> records(topic).stream().filter(match).findFirst(), Optional::isPresent);
    }

    /**
     * How many records of the request topic consumer group {@code groupId} has committed: the sum of its committed
     * offsets there (on a broker of the test's own, that is the requests the service acknowledged).
     */
    public long committedRequests(String groupId) {
        return companion.consumerGroups().offsets(groupId).entrySet().stream()
                .filter(entry -> entry.getKey().topic().equals(REQUESTS) && entry.getValue() != null)
                .mapToLong(entry -> entry.getValue().offset()).sum();
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static JsonNode json(ConsumerRecord<String, String> record) {
        return json(record.value());
    }

    public static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return MAPPER.createObjectNode();
        }
    }

    @Override
    public void close() {
        output.close();
    }
}
