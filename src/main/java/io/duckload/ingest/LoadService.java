package io.duckload.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.failure.Backoff;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.Futures;
import io.duckload.failure.LoadException;
import io.duckload.failure.Pause;
import io.duckload.failure.RetryPolicy;
import io.duckload.warehouse.LoadJob;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Answers the planned loads of one dataset partition, on a worker thread: fetch ({@link SourceStage}), commit
 * ({@link GroupCommit}: a group of one when group commit is off), announce ({@link Announcer}), trying a transient
 * failure again with the retry policy. A request that cannot be done is announced with PartitionFailed. Returns
 * once every event was acknowledged by the broker; the caller then acknowledges the Kafka record.
 */
@ApplicationScoped
public class LoadService implements LoadStep {

    private static final Logger LOG = Logger.getLogger(LoadService.class);

    private final SourceStage sources;
    private final GroupCommit commits;
    private final Announcer announcer;
    private final RetryPolicy retry;
    private final Pause pause;
    private final Clock clock;
    /** Set when the service stops: a load failing then is left unanswered, so that its request is redelivered. */
    private volatile boolean stopping;

    public LoadService(SourceStage sources, GroupCommit commits, Announcer announcer, DuckloadConfig config,
            Pause pause, Clock clock) {
        this.sources = sources;
        this.commits = commits;
        this.announcer = announcer;
        this.retry = config.retry().policy();
        this.pause = pause;
        this.clock = clock;
    }

    /**
     * Answers loads of one dataset partition with one load; blocks, so call it from a worker thread. A request
     * whose load already committed (a redelivery) is answered again from the outbox instead.
     */
    @Override
    public void load(List<PlannedLoad> open) {
        PlannedLoad first = open.get(0);
        Instant startedAt = clock.instant();
        Backoff backoff = retry.backoff(pause.jitter());
        int attempts = 0;
        try {
            while (true) {
                attempts++;
                try {
                    LoadCommit.Answers answers = fetchAndCommit(open, startedAt);
                    // Taken once the commit returned: the meter's load duration spans the ledger and outbox rows
                    // and the commit itself, which the event's durationMs (fixed inside the transaction) cannot.
                    announcer.announce(answers, first, Duration.between(startedAt, clock.instant()));
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
            announcer.announceFailure(open, e, attempts, startedAt);
        } catch (RuntimeException e) {
            if (stopping) {
                throw e;
            }
            LOG.errorf(e, "Request %s failed unexpectedly", first.requestId());
            announcer.announceFailure(open, new LoadException(ErrorCode.INTERNAL, e.toString(), e), attempts,
                    startedAt);
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    /** One attempt: the source staged off the writer, then the load committed with its events in the outbox. */
    private LoadCommit.Answers fetchAndCommit(List<PlannedLoad> requests, Instant startedAt) {
        PlannedLoad first = requests.get(0);
        LoadJob job = sources.fetch(first, startedAt);
        try {
            LoadCommit.Answers answers = Futures.join(commits.commit(job, requests));
            answers.outcome().ifPresent(outcome -> LOG.infof("Loaded %s into %s (load %s, request %s%s)", first.key(),
                    first.dataset().table(), job.loadId(), first.requestId(),
                    requests.size() > 1 ? " and " + (requests.size() - 1) + " joined" : ""));
            return answers;
        } finally {
            job.source().discard();
        }
    }
}
