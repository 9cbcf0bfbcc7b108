package io.duckload.events;

import java.util.List;


import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.duckload.warehouse.OutboxEvent;
import io.duckload.warehouse.Warehouse;
import io.quarkus.runtime.StartupEvent;

/** At start, publishes the outbox events a crash left unsent, so that every committed load is announced. */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Warehouse warehouse;
    private final EventPublisher publisher;

    public OutboxRelay(Warehouse warehouse, EventPublisher publisher) {
        this.warehouse = warehouse;
        this.publisher = publisher;
    }

    void onStart(@Observes StartupEvent start) {
        warehouse.unsentEvents().thenAcceptAsync(this::relay).exceptionally(e -> {
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
            publisher.deliver(event);
            warehouse.markSent(event.eventId()).join();
        }
    }

}
