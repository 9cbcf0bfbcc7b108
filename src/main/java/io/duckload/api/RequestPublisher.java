package io.duckload.api;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.duckload.contracts.PartitionRequested;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes PartitionRequested records to topic {@code partition-requested}, as any other client would. */
@ApplicationScoped
public class RequestPublisher {

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper mapper;

    public RequestPublisher(@Channel("requests-out") MutinyEmitter<String> emitter, ObjectMapper mapper) {
        this.emitter = emitter;
        this.mapper = mapper;
    }

    /**
     * Sends a request for {@code partition} ({@code null} for an unpartitioned dataset) with a fresh request id;
     * completes with that id once the broker acknowledged the record.
     */
    public CompletableFuture<String> publish(String dataset, String partition) {
        String requestId = UUID.randomUUID().toString();
        String body = json(new PartitionRequested(requestId, dataset, partition, OffsetDateTime.now(ZoneOffset.UTC)));
        var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(PartitionRequested.key(dataset, partition))
                .build();
        return emitter.sendMessage(Message.of(body, Metadata.of(metadata))).subscribeAsCompletionStage()
                .thenApply(sent -> requestId);
    }

    private String json(PartitionRequested request) {
        try {
            return mapper.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request record always serializes", e);
        }
    }
}
