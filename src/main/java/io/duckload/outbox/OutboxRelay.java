package io.duckload.outbox;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.duckload.warehouse.Writer;
import io.quarkus.runtime.StartupEvent;

/**
 * Publishes the outbox's events and marks them sent: each commit's, as the announce step hands them over, and at
 * start those a crash left unsent, so that every committed load is announced.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Writer writer;
    private final OutboxTable outbox;
    private final EventPublisher publisher;
    private final SentMarks marks;

    public OutboxRelay(Writer writer, OutboxTable outbox, EventPublisher publisher, SentMarks marks) {
        this.writer = writer;
        this.outbox = outbox;
        this.publisher = publisher;
        this.marks = marks;
    }

    void onStart(@Observes StartupEvent start) {
        writer.read(outbox::unsent, unsent -> writer.expectSends(OutboxEvent.ids(unsent))).thenAcceptAsync(this::relay).exceptionally(e -> {
            LOG.errorf(e, "Relaying unsent outbox events failed; they are sent again at the next start");
            return null;
        });
    }

    private void relay(List<OutboxEvent> unsent) {
        if (unsent.isEmpty()) {
            return;
        }
        LOG.infof("Relaying %d outbox event(s) left unsent by an earlier run", unsent.size());
        for (OutboxEvent event : unsent) {
            send(event).join();
        }
    }

    /**
     * Sends a stored event, returning once a broker acknowledged it, and queues marking it sent; the returned stage
     * completes when the mark is committed. If the service dies before that, the event is sent again at the next
     * start, which the at-least-once contract allows.
     */
    public CompletableFuture<Void> send(OutboxEvent event) {
        publisher.deliver(event);
        LOG.debugf("Event %s acknowledged by the broker", event.eventId());
        return marks.markSent(event.eventId());
    }
}
