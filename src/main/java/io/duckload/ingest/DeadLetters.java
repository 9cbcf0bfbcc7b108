package io.duckload.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.failure.Backoff;
import io.duckload.failure.Pause;
import io.duckload.failure.RetryPolicy;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Writes records that are not requests at all to the dead-letter topic, with the reason and the record's origin
 * in headers. Unlike SmallRye's own dead-letter strategy it caps the value it copies, so that a 10 MB record
 * cannot block consumption by being too large for the dead-letter topic.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    /** Largest value copied to the dead-letter topic; a larger one is cut and marked so. */
    static final int MAX_COPIED_BYTES = 64 * 1024;

    private final MutinyEmitter<String> emitter;
    private final RetryPolicy retry;
    private final Pause pause;

    @Inject
    public DeadLetters(@Channel("dead-letters") MutinyEmitter<String> emitter, DuckloadConfig config, Pause pause) {
        this.emitter = emitter;
        this.retry = config.retry().resends();
        this.pause = pause;
    }

    /**
     * Completes once the broker acknowledged the dead letter; a send the producer gave up on (broker away for
     * longer than its delivery timeout) is tried again, as the record is only acknowledged after it.
     */
    public CompletableFuture<Void> send(Message<String> original, String reason) {
        return send(original, reason, retry.backoff(pause.jitter()));
    }

    private CompletableFuture<Void> send(Message<String> original, String reason, Backoff backoff) {
        return sendOnce(original, reason).exceptionallyCompose(failure -> {
            Duration wait = backoff.next();
            LOG.warnf("Dead letter not acknowledged, trying again in %d ms: %s", wait.toMillis(),
                    failure.getMessage());
            return CompletableFuture.supplyAsync(() -> null, pause.after(wait))
                    .thenCompose(x -> send(original, reason, backoff));
        });
    }

    private CompletableFuture<Void> sendOnce(Message<String> original, String reason) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "dead-letter-reason", reason);
        String key = null;
        var origin = original.getMetadata(IncomingKafkaRecordMetadata.class);
        if (origin.isPresent()) {
            IncomingKafkaRecordMetadata<?, ?> record = origin.get();
            key = record.getKey() == null ? null : record.getKey().toString();
            header(headers, "dead-letter-topic", record.getTopic());
            header(headers, "dead-letter-partition", Integer.toString(record.getPartition()));
            header(headers, "dead-letter-offset", Long.toString(record.getOffset()));
        }
        String value = original.getPayload();
        if (value != null && value.length() > MAX_COPIED_BYTES) {
            header(headers, "dead-letter-truncated-from-chars", Integer.toString(value.length()));
            value = value.substring(0, MAX_COPIED_BYTES);
        }
        var record = OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build();
        // The Uni completes when the broker acknowledged the letter, and fails when the producer gave up on it.
        return emitter.sendMessage(Message.of(value, Metadata.of(record))).subscribeAsCompletionStage();
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
