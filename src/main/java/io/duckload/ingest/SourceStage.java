package io.duckload.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.source.SourceFetcher;
import io.duckload.source.StagedSource;
import io.duckload.warehouse.LoadJob;
import io.duckload.warehouse.SourceInspector;

/**
 * The fetch step of a load, on a worker thread and outside the writer: the source into staging (at most
 * {@code fetch-parallelism} at once), then described (its columns), so that the writer only replaces the partition.
 */
@ApplicationScoped
public class SourceStage {

    private static final Logger LOG = Logger.getLogger(SourceStage.class);

    private final SourceFetcher fetcher;
    private final SourceInspector inspector;
    private final Event<SourceFetched> fetched;
    private final Semaphore fetching;
    private final Clock clock;

    public SourceStage(SourceFetcher fetcher, SourceInspector inspector, Event<SourceFetched> fetched,
            DuckloadConfig config, Clock clock) {
        this.fetcher = fetcher;
        this.inspector = inspector;
        this.fetched = fetched;
        this.clock = clock;
        this.fetching = new Semaphore(config.pipeline().fetchParallelism(), true);
    }

    /** A new load of {@code first}'s partition with its source staged; the caller discards the source after. */
    public LoadJob fetch(PlannedLoad first, Instant startedAt) {
        String loadId = UUID.randomUUID().toString();
        LOG.debugf("Request %s: fetching the source of load %s", first.requestId(), loadId);
        Instant fetchStart = clock.instant();
        StagedSource source = staged(first, loadId);
        fetched.fire(new SourceFetched(first.dataset().name(), source.bytes(),
                Duration.between(fetchStart, clock.instant())));
        try {
            LoadJob job = new LoadJob(loadId, first.requestId(), first.dataset(), first.partition(), source,
                    startedAt);
            return inspector.describe(first.dataset(), source).map(job::described).orElse(job);
        } catch (RuntimeException e) {
            source.discard();
            throw e;
        }
    }

    private StagedSource staged(PlannedLoad first, String loadId) {
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
}
