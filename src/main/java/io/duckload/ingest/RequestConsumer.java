package io.duckload.ingest;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.contracts.PartitionRequested;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;
import io.duckload.warehouse.WriterStart;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Kafka in, and the story of one request, step by step:
 * <ol>
 * <li>parse: the record into a PartitionRequested ({@link RequestParser}); not a request: dead-lettered
 * ({@link DeadLetters}) and acknowledged;</li>
 * <li>plan: one {@link PlannedLoad} per partition, validated against the catalog ({@link RequestPlanner}); invalid:
 * answered with PartitionFailed ({@link RejectStep});</li>
 * <li>on a worker ({@link RequestPipeline}, requests of one partition in order, joining a waiting load), one load
 * per partition ({@link LoadService}): fetch ({@link SourceStage}), commit ({@link GroupCommit}, a group of one
 * when group commit is off; {@link LoadCommit} is the transaction), announce ({@link Announcer}: the events, each
 * acknowledged by the broker);</li>
 * <li>acknowledge: the record, once all its requests were answered; SmallRye commits the offset after that.</li>
 * </ol>
 */
@ApplicationScoped
public class RequestConsumer {

    private static final Logger LOG = Logger.getLogger(RequestConsumer.class);

    private final RequestParser parser;
    private final RequestPlanner planner;
    private final RequestPipeline pipeline;
    private final Admission admission;
    private final DeadLetters deadLetters;
    private final WriterStart start;

    public RequestConsumer(RequestParser parser, RequestPlanner planner, RequestPipeline pipeline,
            DeadLetters deadLetters, DuckloadConfig config, WriterStart start) {
        this.start = start;
        this.parser = parser;
        this.planner = planner;
        this.deadLetters = deadLetters;
        this.pipeline = pipeline;
        this.admission = new Admission(config.pipeline().maxInFlight());
    }

    /**
     * Takes a record in and returns once it holds one of the in-flight permits, so the next record can follow
     * while this one is fetched and loaded; the record is acknowledged when all its requests were answered.
     */
    @Incoming("partition-requested")
    public CompletionStage<Void> consume(Message<String> message) {
        // Records taken while the start is still preparing the file wait for it; if that fails, they are never
        // answered nor acknowledged, and the next start gets them again.
        return start.ready().thenCompose(ready -> take(message));
    }

    /** Steps 1 to 6 for one record, once the file is ready (package-private: the consumer's tests start here). */
    CompletionStage<Void> take(Message<String> message) {
        PartitionRequested request;
        try {
            request = parse(message);
        } catch (InvalidRequestException e) {
            LOG.warnf("Dead-lettering a record at %s: %s", position(message), e.getMessage());
            return deadLetters.send(message, e.getMessage()).thenCompose(sent -> message.ack());
        }
        return admission.acquire().thenAccept(permit -> planAndLoad(request)
                .whenComplete((done, failure) -> acknowledge(message, request, failure)));
    }

    /** Step 1: the record as a request, with an id derived from its position if it came without one. */
    private PartitionRequested parse(Message<String> message) {
        return withRequestId(parser.parse(message.getPayload(), headers(message)), message);
    }

    /** Step 6, once every partition of the request was answered (or the service stops). */
    private void acknowledge(Message<String> message, PartitionRequested request, Throwable failure) {
        admission.release();
        if (failure == null) {
            message.ack();
        } else {
            // Only a shutdown gets here: the record stays unacknowledged, so it is redelivered.
            LOG.warnf("Request %s left unanswered: %s", request.requestId(), failure.getMessage());
        }
    }

    /** Steps 2 to 5: planned, then each partition loaded and announced on a worker of the pipeline. */
    private CompletableFuture<Void> planAndLoad(PartitionRequested request) {
        List<PlannedLoad> parts;
        try {
            parts = planner.plan(request);
        } catch (LoadException e) {
            return pipeline.reject(request, e);
        } catch (RuntimeException e) {
            // A defect of ours, not of the request: answered as INTERNAL rather than stopping the consumer (and
            // keeping this record's in-flight permit) for good.
            LOG.errorf(e, "Planning request %s failed", request.requestId());
            return pipeline.reject(request,
                    new LoadException(ErrorCode.INTERNAL, "planning the request failed: " + e, e));
        }
        boolean backfill = request.partitions() != null;
        if (backfill) {
            LOG.infof("Backfill %s: %d partitions of %s", request.requestId(), parts.size(), request.dataset());
        }
        AtomicInteger answered = new AtomicInteger();
        return CompletableFuture.allOf(parts.stream().map(part -> pipeline.submit(part).whenComplete((done, e) -> {
            if (backfill) {
                LOG.infof("Backfill %s: %d/%d answered (%s)", request.requestId(), answered.incrementAndGet(),
                        parts.size(), part.partitionKey());
            }
        })).toArray(CompletableFuture[]::new));
    }

    /** A request without an id gets one derived from its record's position, so a redelivery keeps it. */
    private static PartitionRequested withRequestId(PartitionRequested request, Message<String> message) {
        if (request.requestId() != null && !request.requestId().isBlank()) {
            return request;
        }
        String id = UUID.nameUUIDFromBytes(position(message).getBytes(StandardCharsets.UTF_8)).toString();
        return request.withRequestId(id);
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

}
