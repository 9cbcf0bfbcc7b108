package io.duckload.outbox;

import java.util.concurrent.CompletableFuture;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Sends a record through an emitter and completes when the broker acknowledged it, or fails when it did not. */
public final class AcknowledgedSend {

    private AcknowledgedSend() {
    }

    public static CompletableFuture<Void> send(Emitter<String> emitter, String value,
            OutgoingKafkaRecordMetadata<String> metadata) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        emitter.send(Message.of(value, Metadata.of(metadata), () -> {
            acknowledged.complete(null);
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            acknowledged.completeExceptionally(failure);
            return CompletableFuture.completedFuture(null);
        }));
        return acknowledged;
    }
}
