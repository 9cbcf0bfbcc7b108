package io.duckload.outbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.failure.Backoff;
import io.duckload.failure.Pause;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.CloudEventMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sends duckload's events as binary-mode CloudEvents and waits for the broker's acknowledgement. A send that
 * fails is retried with backoff until the broker takes it: an event whose load committed must not be lost. The
 * Kafka connector writes the {@code ce_*} headers from the message's {@link OutgoingCloudEventMetadata} (channel
 * {@code duckload-events}, {@code cloud-events=true}, binary mode).
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final MutinyEmitter<String> emitter;
    private final DuckloadConfig config;
    private final URI source;
    private final Pause pause;
    private volatile boolean stopping;

    @Inject
    public EventPublisher(@Channel("duckload-events") MutinyEmitter<String> emitter, DuckloadConfig config,
            Pause pause) {
        this.emitter = emitter;
        this.config = config;
        this.source = config.eventSource();
        this.pause = pause;
    }

    /** Sends {@code event}, retrying until a broker acknowledged it; returns the number of attempts. */
    public int deliver(OutboxEvent event) {
        Backoff backoff = config.retry().resends().backoff(pause.jitter());
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

    /** One send; completes when the broker acknowledged the record, fails when the producer gave up on it. */
    CompletableFuture<Void> send(OutboxEvent event) {
        OutgoingCloudEventMetadata<String> cloudEvent = OutgoingCloudEventMetadata.<String>builder()
                .withSpecVersion(CloudEventMetadata.CE_VERSION_1_0)
                .withId(event.eventId())
                .withType(event.type())
                .withSource(source)
                .withSubject(event.subject())
                .withTimestamp(event.createdAt().atZone(ZoneOffset.UTC))
                .build();
        // The data content type goes in the record's content-type header only, as the CloudEvents Kafka binding
        // maps it: given as the metadata's datacontenttype, SmallRye would also write a ce_datacontenttype header.
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> record = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.topic())
                .withKey(event.key())
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(Message.of(event.payload(), Metadata.of(cloudEvent, record)))
                .subscribeAsCompletionStage();
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }
}
