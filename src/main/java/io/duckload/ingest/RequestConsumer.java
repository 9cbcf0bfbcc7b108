package io.duckload.ingest;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.duckload.events.PartitionRequested;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Kafka in: reads PartitionRequested records one at a time and acknowledges each only after its load committed
 * and its event was acknowledged by the broker; the offset is committed after that. A record that is not a
 * request at all is nacked and so lands on the dead-letter topic.
 */
@ApplicationScoped
public class RequestConsumer {

    private static final Logger LOG = Logger.getLogger(RequestConsumer.class);

    private final RequestParser parser;
    private final LoadService loads;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "duckload-requests");
        thread.setDaemon(true);
        return thread;
    });

    public RequestConsumer(RequestParser parser, LoadService loads) {
        this.parser = parser;
        this.loads = loads;
    }

    @Incoming("partition-requested")
    public CompletionStage<Void> consume(Message<String> message) {
        PartitionRequested request;
        try {
            request = withRequestId(parser.parse(message.getPayload(), headers(message)), message);
        } catch (InvalidRequestException e) {
            LOG.warnf("Dead-lettering a record at %s: %s", position(message), e.getMessage());
            return message.nack(e);
        }
        return CompletableFuture.runAsync(() -> loads.handle(request), worker)
                .handle((done, failure) -> {
                    if (failure == null) {
                        return message.ack();
                    }
                    // Only a shutdown gets here: leave the record unacknowledged, so it is redelivered.
                    LOG.warnf("Request %s left unanswered: %s", request.requestId(), failure.getMessage());
                    return new CompletableFuture<Void>();
                })
                .thenCompose(stage -> stage);
    }

    /** A request without an id gets one derived from its record's position, so a redelivery keeps it. */
    private static PartitionRequested withRequestId(PartitionRequested request, Message<String> message) {
        if (request.requestId() != null && !request.requestId().isBlank()) {
            return request;
        }
        String id = UUID.nameUUIDFromBytes(position(message).getBytes(StandardCharsets.UTF_8)).toString();
        return new PartitionRequested(id, request.dataset(), request.partition(), request.requestedAt());
    }

    private static String position(Message<String> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getTopic() + "/" + m.getPartition() + "/" + m.getOffset())
                .orElse("unknown position");
    }

    private static Map<String, String> headers(Message<String> message) {
        Map<String, String> headers = new HashMap<>();
        message.getMetadata(IncomingKafkaRecordMetadata.class).ifPresent(metadata -> {
            for (Header header : metadata.getHeaders()) {
                if (header.value() != null) {
                    headers.put(header.key().toLowerCase(Locale.ROOT),
                            new String(header.value(), StandardCharsets.UTF_8));
                }
            }
        });
        return headers;
    }

    @PreDestroy
    void stop() {
        worker.shutdown();
    }
}
