package io.duckload.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.duckload.catalog.CatalogException;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.warehouse.Writer;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Marks outbox events sent. Marks are gathered for a few milliseconds and written in one transaction, so a stream
 * of small loads does not pay one more commit per event; a mark lost in a crash only means the event is sent again
 * at the next start. At most once every {@link #PRUNE_EVERY}, the same transaction deletes the events acknowledged
 * longer ago than {@code duckload.outbox.retention}, so the outbox (and the look-up every commit makes in it) does
 * not grow with every load ever made.
 */
@ApplicationScoped
public class SentMarks {

    static final Duration GATHER = Duration.ofMillis(20);
    /** Least time between two deletions of events past the retention. */
    static final Duration PRUNE_EVERY = Duration.ofHours(1);
    private static final Logger LOG = Logger.getLogger(SentMarks.class);

    private final Writer writer;
    private final OutboxTable outbox;
    private final Map<String, CompletableFuture<Void>> pending = new LinkedHashMap<>();
    private final Duration retention;
    private final Clock clock;
    private boolean scheduled;
    /** When events past the retention were last deleted; only the writer thread reads and sets it. */
    private Instant prunedAt;

    public SentMarks(Writer writer, OutboxTable outbox, DuckloadConfig config, Clock clock) {
        this.writer = writer;
        this.outbox = outbox;
        this.clock = clock;
        this.retention = checked(config.outbox().retention());
    }

    /** {@code retention} if it is one: a negative one stops the start, naming the key. */
    static Duration checked(Duration retention) {
        if (retention.isNegative()) {
            throw new CatalogException("duckload.outbox.retention", "must not be negative, found " + retention);
        }
        return retention;
    }

    /** Completes once the mark of {@code eventId} is committed (with the others gathered meanwhile). */
    public CompletableFuture<Void> markSent(String eventId) {
        synchronized (pending) {
            CompletableFuture<Void> marked = pending.computeIfAbsent(eventId, id -> new CompletableFuture<>());
            if (!scheduled) {
                scheduled = true;
                writer.schedule(this::flush, GATHER);
            }
            return marked;
        }
    }

    /**
     * Queues the gathered marks at shutdown: the writer drops its delayed tasks when it stops, and events sent
     * before the shutdown should not be sent again at the next start.
     */
    void onStop(@Observes ShutdownEvent stop) {
        flush();
    }

    private void flush() {
        Map<String, CompletableFuture<Void>> batch;
        synchronized (pending) {
            batch = new LinkedHashMap<>(pending);
            pending.clear();
            scheduled = false;
        }
        if (batch.isEmpty()) {
            return;
        }
        writer.run(connection -> {
            outbox.markSent(connection, List.copyOf(batch.keySet()));
            pruneIfDue(connection);
            return null;
        }, ignored -> batch.keySet().forEach(writer::sent)).whenComplete((done, failure) -> batch.values()
                .forEach(marked -> {
                    if (failure == null) {
                        marked.complete(null);
                    } else {
                        marked.completeExceptionally(failure);
                    }
                }));
    }

    private void pruneIfDue(Connection connection) throws SQLException {
        Instant now = clock.instant();
        if (pruneDue(retention, prunedAt, now)) {
            prunedAt = now;
            long deleted = outbox.prune(connection, retention);
            if (deleted > 0) {
                LOG.infof("Deleted %d event(s) acknowledged more than %s ago from the outbox", deleted, retention);
            }
        }
    }

    /** Whether to delete events past {@code retention} now: never with a zero retention, else hourly at most. */
    static boolean pruneDue(Duration retention, Instant prunedAt, Instant now) {
        return !retention.isZero() && (prunedAt == null || !now.isBefore(prunedAt.plus(PRUNE_EVERY)));
    }
}
