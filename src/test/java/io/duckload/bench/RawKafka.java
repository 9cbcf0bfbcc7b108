package io.duckload.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.duckload.testing.EventLog;

/**
 * Plain Kafka clients for timing: requests are produced without batching delay and every event's arrival time is
 * recorded by a consumer thread polling in a tight loop, so that no test-side polling interval adds latency.
 */
final class RawKafka implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final Map<String, String> events = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    RawKafka(String bootstrapServers) {
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(producerProps);

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps);
        consumer.subscribe(List.of(EventLog.MATERIALIZED, EventLog.FAILED));
        // Join the group before any request is sent, so that no event is missed by "latest".
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        poller = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(5))) {
                        long now = System.nanoTime();
                        String requestId = EventLog.json(record).path("requestId").asText();
                        events.put(requestId, record.value());
                        arrivals.put(requestId, now);
                    }
                }
            }
        }, "bench-consumer");
        poller.start();
    }

    /** Produces a request and returns the nanoTime just before the send. */
    long send(String requestId, String dataset, String partition) {
        return sendAndWait(request(requestId, dataset, partition));
    }

    /** Produces a record as given and waits until the broker has it; returns the nanoTime just before the send. */
    long sendRaw(String key, String body) {
        return sendAndWait(new ProducerRecord<>(EventLog.REQUESTS, key, body));
    }

    private long sendAndWait(ProducerRecord<String, String> record) {
        long start = System.nanoTime();
        producer.send(record);
        producer.flush();
        return start;
    }

    /** A PartitionRequested for one partition, keyed by dataset and partition as upstream systems key them. */
    private static ProducerRecord<String, String> request(String requestId, String dataset, String partition) {
        return new ProducerRecord<>(EventLog.REQUESTS, dataset + "/" + partition,
                "{\"requestId\":\"%s\",\"dataset\":\"%s\",\"partition\":\"%s\"}".formatted(requestId, dataset,
                        partition));
    }

    /**
     * Produces requests for {@code partitions} of {@code dataset} all at once: sent back to back and flushed once,
     * as an upstream system publishing a batch would, instead of one round trip to the broker each. Returns the
     * request ids, in order, and the nanoTimes just before the first send and after the flush.
     */
    Batch sendAll(String dataset, List<String> partitions) {
        List<String> requestIds = new ArrayList<>();
        long start = System.nanoTime();
        for (String partition : partitions) {
            String requestId = UUID.randomUUID().toString();
            producer.send(request(requestId, dataset, partition));
            requestIds.add(requestId);
        }
        producer.flush();
        return new Batch(requestIds, start, System.nanoTime());
    }

    /** Requests produced by {@link #sendAll}: their ids, when the first was sent and when all were acknowledged. */
    record Batch(List<String> requestIds, long started, long flushed) {
    }

    /** Waits for the PartitionMaterialized answering {@code requestId}; returns its arrival nanoTime. */
    long awaitArrival(String requestId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Long arrival = arrivals.get(requestId);
            if (arrival != null) {
                var error = EventLog.json(events.get(requestId)).path("error");
                if (!error.isMissingNode()) {
                    // A benchmark must not time failures as if they were loads.
                    throw new IllegalStateException("request " + requestId + " failed: " + error);
                }
                return arrival;
            }
            Thread.onSpinWait();
            Thread.sleep(0, 200_000);
        }
        throw new IllegalStateException("no event for " + requestId + " within " + timeout);
    }

    /** The event answering {@code requestId}, once it arrived. */
    String event(String requestId) {
        return events.get(requestId);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join();
        producer.close();
    }
}
