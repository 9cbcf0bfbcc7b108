package io.duckload.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.failure.Backoff;
import io.duckload.failure.Pause;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sends duckload's events as binary-mode CloudEvents and waits for the broker's acknowledgement. A send that
 * fails is retried with backoff until the broker takes it: an event whose load committed must not be lost.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final Emitter<String> emitter;
    private final DuckloadConfig config;
    private final Pause pause;
    private volatile boolean stopping;

    @Inject
    public EventPublisher(@Channel("duckload-events") Emitter<String> emitter, DuckloadConfig config,
            Pause pause) {
        this.emitter = emitter;
        this.config = config;
        this.pause = pause;
    }

    /** Sends {@code event}, retrying until a broker acknowledged it; returns the number of attempts. */
    public int deliver(OutboxEvent event) {
        Backoff backoff = config.retry().resends().backoff();
        for (int attempt = 1;; attempt++) {
            try {
                send(event).join();
                return attempt;
            } catch (CompletionException | IllegalStateException e) {
                if (stopping) {
                    throw new IllegalStateException("shutting down before event " + event.eventId() + " was sent", e);
                }
                Duration wait = backoff.next();
                LOG.warnf("Event %s to %s not acknowledged (attempt %d), retrying in %d ms: %s", event.eventId(),
                        event.topic(), attempt, wait.toMillis(), rootMessage(e));
                pause.sleep(wait, interrupted -> new IllegalStateException("interrupted while waiting to resend",
                        interrupted));
            }
        }
    }

    /** One send; completes when the broker acknowledged the record, fails when the producer gave up. */
    CompletableFuture<Void> send(OutboxEvent event) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", event.eventId());
        header(headers, "ce_type", event.type());
        header(headers, "ce_source", config.eventSource());
        header(headers, "ce_subject", event.subject());
        header(headers, "ce_time", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(event.createdAt().atOffset(ZoneOffset.UTC)));
        header(headers, "content-type", "application/json");
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.topic())
                .withKey(event.key())
                .withHeaders(headers)
                .build();
        return AcknowledgedSend.send(emitter, event.payload(), metadata);
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    /** Whether the service is shutting down, so that unsent work is left for redelivery. */
    public boolean isStopping() {
        return stopping;
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }
}
