package io.duckload.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.events.BackfillPosition;
import io.duckload.events.EventFactory;
import io.duckload.events.PartitionRequested;
import io.duckload.events.Reports;
import io.duckload.failure.Backoff;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.Futures;
import io.duckload.failure.LoadException;
import io.duckload.failure.Pause;
import io.duckload.failure.RetryPolicy;
import io.duckload.outbox.EventPublisher;
import io.duckload.outbox.OutboxEvent;
import io.duckload.outbox.SentMarks;
import io.duckload.source.SourceFetcher;
import io.duckload.source.StagedSource;
import io.duckload.warehouse.LoadJob;
import io.duckload.warehouse.SourceInspector;

/**
 * Answers the planned loads of one dataset partition: fetches the source outside the writer, commits the load with
 * its events (retrying transient failures with the retry policy), and returns once every event was acknowledged by
 * the broker. A request that cannot be done is answered with PartitionFailed.
 */
@ApplicationScoped
public class LoadService {

    private static final Logger LOG = Logger.getLogger(LoadService.class);

    private final SourceFetcher fetcher;
    private final LoadCommit commit;
    private final BiFunction<LoadJob, List<PlannedLoad>, CompletableFuture<LoadCommit.Answers>> commits;
    private final EventFactory events;
    private final EventPublisher publisher;
    private final SentMarks marks;
    private final RetryPolicy retry;
    private final Event<LoadCommitted> committed;
    private final Event<RequestFailed> failed;
    private final Event<SourceFetched> fetched;
    private final Reports reports;
    private final Semaphore fetching;
    private final SourceInspector inspector;
    private final Pause pause;
    private final Clock clock;

    public LoadService(SourceFetcher fetcher, LoadCommit commit, GroupCommit group, EventFactory events,
            EventPublisher publisher, SentMarks marks, DuckloadConfig config, Event<LoadCommitted> committed,
            Event<RequestFailed> failed, Event<SourceFetched> fetched, Reports reports, SourceInspector inspector, Pause pause,
            Clock clock) {
        this.fetcher = fetcher;
        this.commit = commit;
        this.commits = config.writer().groupCommit() ? group::commit : commit::commit;
        this.events = events;
        this.publisher = publisher;
        this.marks = marks;
        this.retry = config.retry().policy();
        this.committed = committed;
        this.failed = failed;
        this.fetched = fetched;
        this.reports = reports;
        this.inspector = inspector;
        this.pause = pause;
        this.clock = clock;
        this.fetching = new Semaphore(config.pipeline().fetchParallelism(), true);
    }

    /**
     * Answers loads of one dataset partition with one load; blocks, so call it from a worker thread. A request
     * whose load already committed (a redelivery) is answered again from the outbox instead.
     */
    public void handle(List<PlannedLoad> open) {
        PlannedLoad first = open.get(0);
        Instant startedAt = clock.instant();
        Backoff backoff = retry.backoff();
        int attempts = 0;
        try {
            while (true) {
                attempts++;
                try {
                    LoadCommit.Answers answers = loadOnce(open, startedAt);
                    // Taken once the commit returned: the meter's load duration spans the ledger and outbox rows
                    // and the commit itself, which the event's durationMs (fixed inside the transaction) cannot.
                    answer(answers, first, Duration.between(startedAt, clock.instant()));
                    return;
                } catch (LoadException e) {
                    if (!retry.retries(e.code(), attempts)) {
                        throw e;
                    }
                    Duration wait = backoff.next();
                    LOG.warnf("Request %s: attempt %d failed with %s (%s); retrying in %d ms", first.requestId(),
                            attempts, e.code(), e.getMessage(), wait.toMillis());
                    pause.sleep(wait, interrupted -> new IllegalStateException("interrupted while waiting to retry",
                            interrupted));
                }
            }
        } catch (LoadException e) {
            failAll(open, e, attempts, startedAt);
        } catch (RuntimeException e) {
            if (publisher.isStopping()) {
                throw e;
            }
            LOG.errorf(e, "Request %s failed unexpectedly", first.requestId());
            failAll(open, new LoadException(ErrorCode.INTERNAL, e.toString(), e), attempts, startedAt);
        }
    }

    private void failAll(List<PlannedLoad> open, LoadException e, int attempts, Instant startedAt) {
        for (PlannedLoad load : open) {
            if (fail(load.requestId(), load.dataset().name(), load.partitionKey(), load.backfill(), e, attempts)) {
                reports.failed(load.requestId(), load.dataset().name(), load.partition(),
                        e.code() + ": " + e.getMessage(), startedAt);
            }
        }
    }

    /** Answers a request that failed validation with PartitionFailed. Blocks until the broker acknowledged it. */
    public void reject(PartitionRequested request, LoadException e) {
        fail(request.requestId(), request.dataset(), request.partition(), Optional.empty(), e, 1);
    }

    private LoadCommit.Answers loadOnce(List<PlannedLoad> requests, Instant startedAt) {
        PlannedLoad first = requests.get(0);
        String loadId = UUID.randomUUID().toString();
        LOG.debugf("Request %s: fetching the source of load %s", first.requestId(), loadId);
        Instant fetchStart = clock.instant();
        StagedSource source = fetch(first, loadId);
        fetched.fire(new SourceFetched(first.dataset().name(), source.bytes(),
                Duration.between(fetchStart, clock.instant())));
        try {
            LoadJob job = new LoadJob(loadId, first.requestId(), first.dataset(), first.partition(), source,
                    startedAt);
            // Off the writer: the writer then only replaces the partition.
            job = inspector.describe(first.dataset(), source).map(job::described).orElse(job);
            LoadCommit.Answers answers = Futures.join(commits.apply(job, requests));
            answers.outcome().ifPresent(outcome -> LOG.infof("Loaded %s into %s (load %s, request %s%s)", first.key(),
                    first.dataset().table(), loadId, first.requestId(),
                    requests.size() > 1 ? " and " + (requests.size() - 1) + " joined" : ""));
            return answers;
        } finally {
            source.discard();
        }
    }

    /** Fetches the source of {@code first}'s load, at most {@code fetch-parallelism} at once. */
    private StagedSource fetch(PlannedLoad first, String loadId) {
        try {
            fetching.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // Not a LoadException: while the service stops, the request is left unanswered for redelivery.
            throw new IllegalStateException("interrupted while waiting to fetch", e);
        }
        try {
            return fetcher.fetch(first.dataset(), first.partition(), loadId);
        } finally {
            fetching.release();
        }
    }

    private void answer(LoadCommit.Answers answers, PlannedLoad first, Duration took) {
        if (!answers.repeated().isEmpty()) {
            LOG.infof("%d request(s) for %s were already answered; sending their events again",
                    answers.repeated().size(), first.key());
        }
        answers.repeated().forEach(this::deliverAndMarkSent);
        answers.fresh().forEach(this::deliverAndMarkSent);
        answers.outcome().ifPresent(outcome -> committed.fire(new LoadCommitted(first.dataset().name(),
                first.partitionKey(), outcome.rowsInserted(), took)));
    }

    /** Answers {@code requestId} with PartitionFailed; false if it was answered by an earlier load instead. */
    private boolean fail(String requestId, String dataset, String partitionKey, Optional<BackfillPosition> backfill,
            LoadException e, int attempts) {
        // A redelivered request whose load committed earlier is answered by that load, even if fetching its
        // source fails now (the idempotency check proper runs inside the load's transaction, after the fetch).
        List<OutboxEvent> earlier = answeredBefore(requestId);
        if (!earlier.isEmpty()) {
            LOG.infof("Request %s was already answered; sending its event again instead of %s", requestId, e.code());
            earlier.forEach(this::deliverAndMarkSent);
            return false;
        }
        LOG.infof("Request %s for %s %s failed: %s %s", requestId, dataset, partitionKey, e.code(), e.getMessage());
        publisher.deliver(events.failed(requestId, dataset, partitionKey, e, Math.max(attempts, 1), backfill));
        failed.fire(new RequestFailed(dataset, partitionKey, e));
        return true;
    }

    private List<OutboxEvent> answeredBefore(String requestId) {
        try {
            return Futures.join(commit.answeredBefore(requestId));
        } catch (LoadException e) {
            return List.of(); // the file cannot be read now: the failure at hand is the answer
        }
    }

    /**
     * Sends the event and queues marking it sent. The mark is not waited for: if the service dies before it lands,
     * the event is sent again at the next start, which the at-least-once contract allows.
     */
    private void deliverAndMarkSent(OutboxEvent event) {
        publisher.deliver(event);
        LOG.debugf("Event %s acknowledged by the broker", event.eventId());
        marks.markSent(event.eventId()).exceptionally(e -> {
            LOG.warnf("Could not mark event %s sent; it is sent again at the next start: %s", event.eventId(),
                    e.getMessage());
            return null;
        });
    }
}
