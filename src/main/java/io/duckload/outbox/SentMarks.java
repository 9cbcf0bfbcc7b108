package io.duckload.outbox;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.duckload.warehouse.Writer;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Marks outbox events sent. Marks are gathered for a few milliseconds and written in one transaction, so a stream
 * of small loads does not pay one more commit per event; a mark lost in a crash only means the event is sent again
 * at the next start.
 */
@ApplicationScoped
public class SentMarks {

    static final Duration GATHER = Duration.ofMillis(20);

    private final Writer writer;
    private final OutboxTable outbox;
    private final Map<String, CompletableFuture<Void>> pending = new LinkedHashMap<>();
    private boolean scheduled;

    public SentMarks(Writer writer, OutboxTable outbox) {
        this.writer = writer;
        this.outbox = outbox;
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
}
