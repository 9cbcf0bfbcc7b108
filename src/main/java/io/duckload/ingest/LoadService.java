package io.duckload.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.duckload.api.FailureLog;
import io.duckload.catalog.Catalog;
import io.duckload.catalog.Dataset;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.Partition;
import io.duckload.events.EventFactory;
import io.duckload.events.EventPublisher;
import io.duckload.events.PartitionRequested;
import io.duckload.failure.Backoff;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;
import io.duckload.failure.RetryPolicy;
import io.duckload.metrics.LoadMetrics;
import io.duckload.source.SourceFetcher;
import io.duckload.source.StagedSource;
import io.duckload.warehouse.LoadJob;
import io.duckload.warehouse.OutboxEvent;
import io.duckload.warehouse.Warehouse;

/**
 * Answers one PartitionRequested: validates it, fetches the source outside the writer, commits the load with its
 * event through the single writer, and returns once the event was acknowledged by the broker.
 */
@ApplicationScoped
public class LoadService {

    private static final Logger LOG = Logger.getLogger(LoadService.class);

    private final Catalog catalog;
    private final SourceFetcher fetcher;
    private final Warehouse warehouse;
    private final EventFactory events;
    private final EventPublisher publisher;
    private final DuckloadConfig config;
    @Inject
    FailureLog failures;
    @Inject
    LoadMetrics metrics;

    public LoadService(Catalog catalog, SourceFetcher fetcher, Warehouse warehouse, EventFactory events,
            EventPublisher publisher, DuckloadConfig config) {
        this.catalog = catalog;
        this.fetcher = fetcher;
        this.warehouse = warehouse;
        this.events = events;
        this.publisher = publisher;
        this.config = config;
    }

    /** Splits a backfill into one request per partition, in order; any other request stays whole. */
    public List<PartitionRequested> expand(PartitionRequested request) {
        if (request.partitions() == null) {
            return List.of(request);
        }
        try {
            return backfill(request).stream()
                    .map(p -> new PartitionRequested(request.requestId() + "/" + p.key(), request.dataset(), p.key(),
                            request.requestedAt()))
                    .toList();
        } catch (LoadException e) {
            // handle() meets the same problem and answers the request with PartitionFailed.
            return List.of(request);
        }
    }

    /**
     * Answers requests for one dataset partition with one load; blocks, so call it from a worker thread. A request
     * whose load already committed (a redelivery) is answered again from the outbox instead.
     */
    public void handle(List<PartitionRequested> open) {
        PartitionRequested first = open.get(0);
        int attempts = 0;
        String partitionKey = first.partition();
        try {
            Dataset dataset = dataset(first.dataset());
            if (first.partitions() != null) {
                backfill(first);
                throw new LoadException(ErrorCode.INTERNAL, "backfill " + first.requestId() + " was not expanded");
            }
            Optional<Partition> partition = partitionOf(dataset, first.partition());
            partitionKey = partition.map(Partition::key).orElse(null);
            Instant startedAt = Instant.now();
            RetryPolicy policy = config.retry().policy();
            Backoff backoff = policy.backoff();
            while (true) {
                attempts++;
                try {
                    Warehouse.Answers answers = loadOnce(open, dataset, partition, startedAt);
                    if (!answers.repeated().isEmpty()) {
                        LOG.infof("%d request(s) for %s were already answered; sending their events again",
                                answers.repeated().size(), EventFactory.key(first.dataset(), partitionKey));
                    }
                    answers.repeated().forEach(this::deliverAndMarkSent);
                    for (OutboxEvent event : answers.fresh()) {
                        deliverAndMarkSent(event);
                        metrics.materialized(event);
                    }
                    return;
                } catch (LoadException e) {
                    if (!policy.retries(e.code(), attempts)) {
                        throw e;
                    }
                    Duration wait = backoff.next();
                    LOG.warnf("Request %s: attempt %d failed with %s (%s); retrying in %d ms", first.requestId(),
                            attempts, e.code(), e.getMessage(), wait.toMillis());
                    sleep(wait);
                }
            }
        } catch (LoadException e) {
            for (PartitionRequested request : open) {
                fail(request, partitionKey, e, attempts);
            }
        } catch (RuntimeException e) {
            if (publisher.isStopping()) {
                throw e;
            }
            LOG.errorf(e, "Request %s failed unexpectedly", first.requestId());
            for (PartitionRequested request : open) {
                fail(request, partitionKey, new LoadException(ErrorCode.INTERNAL, e.toString(), e), attempts);
            }
        }
    }

    private Dataset dataset(String name) {
        return catalog.find(name).orElseThrow(() -> new LoadException(ErrorCode.UNKNOWN_DATASET,
                "unknown dataset \"" + abbreviate(name) + "\"; known: " + catalog.all().keySet()));
    }

    private List<Partition> backfill(PartitionRequested request) {
        Dataset dataset = dataset(request.dataset());
        if (dataset.partitioning().isEmpty()) {
            throw new LoadException(ErrorCode.PARTITION_NOT_APPLICABLE,
                    "dataset " + dataset.name() + " is not partitioned; a backfill needs partitions");
        }
        return dataset.partitioning().get().range(request.partitions().from(), request.partitions().to(),
                LocalDate.now(ZoneOffset.UTC), config.pipeline().maxBackfill());
    }

    private void fail(PartitionRequested request, String partitionKey, LoadException e, int attempts) {
        // A redelivered request whose load committed earlier is answered by that load, even if fetching its
        // source fails now (the idempotency check proper runs inside the load's transaction, after the fetch).
        List<OutboxEvent> earlier = answeredBefore(request.requestId());
        if (!earlier.isEmpty()) {
            LOG.infof("Request %s was already answered; sending its event again instead of %s", request.requestId(),
                    e.code());
            earlier.forEach(this::deliverAndMarkSent);
            return;
        }
        LOG.infof("Request %s for %s %s failed: %s %s", request.requestId(), request.dataset(), request.partition(),
                e.code(), e.getMessage());
        publisher.deliver(events.failed(request.requestId(), request.dataset(), partitionKey, e,
                Math.max(attempts, 1)));
        failures.failed(request.dataset(), partitionKey, e);
    }

    private List<OutboxEvent> answeredBefore(String requestId) {
        try {
            return join(warehouse.eventsOfRequest(requestId));
        } catch (LoadException e) {
            return List.of(); // the file cannot be read now: the failure at hand is the answer
        }
    }

    private Warehouse.Answers loadOnce(List<PartitionRequested> requests, Dataset dataset,
            Optional<Partition> partition, Instant startedAt) {
        String loadId = UUID.randomUUID().toString();
        String requestId = requests.get(0).requestId();
        LOG.debugf("Request %s: fetching the source of load %s", requestId, loadId);
        StagedSource source = metrics.fetch(dataset.name(), () -> fetcher.fetch(dataset, partition, loadId));
        try {
            LoadJob job = new LoadJob(loadId, requestId, dataset, partition, source, startedAt);
            Warehouse.Answers sent = join(warehouse.commitLoad(job,
                    requests.stream().map(PartitionRequested::requestId).toList(), (outcome, open) -> {
                        Map<String, OutboxEvent> answers = new LinkedHashMap<>();
                        open.forEach(id -> answers.put(id, events.materialized(job.forRequest(id), outcome)));
                        return answers;
                    }));
            if (sent.fresh().isEmpty()) {
                return sent;
            }
            LOG.infof("Loaded %s into %s (load %s, request %s%s)", EventFactory.key(dataset.name(),
                    partition.map(Partition::key).orElse(null)), dataset.table(), loadId, requestId,
                    requests.size() > 1 ? " and " + (requests.size() - 1) + " joined" : "");
            return sent;
        } finally {
            source.discard();
        }
    }

    /**
     * Sends the event and queues marking it sent. The mark is not waited for: if the service dies before it lands,
     * the event is sent again at the next start, which the at-least-once contract allows.
     */
    private void deliverAndMarkSent(OutboxEvent event) {
        publisher.deliver(event);
        LOG.debugf("Event %s acknowledged by the broker", event.eventId());
        warehouse.markSent(event.eventId()).exceptionally(e -> {
            LOG.warnf("Could not mark event %s sent; it is sent again at the next start: %s", event.eventId(),
                    e.getMessage());
            return null;
        });
    }

    static Optional<Partition> partitionOf(Dataset dataset, String key) {
        if (dataset.partitioning().isEmpty()) {
            if (key != null && !key.isEmpty()) {
                throw new LoadException(ErrorCode.PARTITION_NOT_APPLICABLE,
                        "dataset " + dataset.name() + " is not partitioned; omit 'partition'");
            }
            return Optional.empty();
        }
        if (key == null || key.isEmpty()) {
            throw new LoadException(ErrorCode.PARTITION_REQUIRED,
                    "dataset " + dataset.name() + " is partitioned; the request needs a 'partition'");
        }
        return Optional.of(dataset.partitioning().get().parse(key, LocalDate.now(ZoneOffset.UTC)));
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    private static void sleep(Duration wait) {
        try {
            TimeUnit.MILLISECONDS.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException(ErrorCode.INTERNAL, "interrupted while waiting to retry", e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
