package io.duckload.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.duckload.contracts.BackfillPosition;
import io.duckload.contracts.PartitionRequested;
import io.duckload.events.EventFactory;
import io.duckload.events.Reports;
import io.duckload.failure.Futures;
import io.duckload.failure.LoadException;
import io.duckload.outbox.EventPublisher;
import io.duckload.outbox.OutboxEvent;
import io.duckload.outbox.OutboxRelay;

/**
 * The announce step: sends a committed load's events (and those of requests it answered before) and returns once
 * the broker acknowledged each; answers a request that cannot be done with PartitionFailed. It also answers a
 * request that failed validation ({@link RejectStep}).
 */
@ApplicationScoped
public class Announcer implements RejectStep {

    private static final Logger LOG = Logger.getLogger(Announcer.class);

    private final EventFactory events;
    private final EventPublisher publisher;
    private final OutboxRelay relay;
    private final LoadCommit commit;
    private final Event<LoadCommitted> committed;
    private final Event<RequestFailed> failed;
    private final Reports reports;

    public Announcer(EventFactory events, EventPublisher publisher, OutboxRelay relay, LoadCommit commit,
            Event<LoadCommitted> committed, Event<RequestFailed> failed, Reports reports) {
        this.events = events;
        this.publisher = publisher;
        this.relay = relay;
        this.commit = commit;
        this.committed = committed;
        this.failed = failed;
        this.reports = reports;
    }

    /** Announces what a commit answered with; {@code took} spans the load from its start to its commit. */
    public void announce(LoadCommit.Answers answers, PlannedLoad first, Duration took) {
        if (!answers.repeated().isEmpty()) {
            LOG.infof("%d request(s) for %s were already answered; sending their events again",
                    answers.repeated().size(), first.key());
        }
        answers.repeated().forEach(this::deliverAndMarkSent);
        answers.fresh().forEach(this::deliverAndMarkSent);
        answers.outcome().ifPresent(outcome -> committed.fire(new LoadCommitted(first.dataset().name(),
                first.partitionKey(), outcome.rowsInserted(), took)));
    }

    /** Answers every request of a load that failed for good (after {@code attempts}) with PartitionFailed. */
    public void announceFailure(List<PlannedLoad> open, LoadException e, int attempts, Instant startedAt) {
        for (PlannedLoad load : open) {
            if (fail(load.requestId(), load.dataset().name(), load.partitionKey(), load.backfill(), e, attempts)) {
                reports.failed(load.requestId(), load.dataset().name(), load.partition(),
                        e.code() + ": " + e.getMessage(), startedAt);
            }
        }
    }

    /** Answers a request that failed validation with PartitionFailed. Blocks until the broker acknowledged it. */
    @Override
    public void reject(PartitionRequested request, LoadException e) {
        fail(request.requestId(), request.dataset(), request.partition(), Optional.empty(), e, 1);
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
     * Sends the event (returning once the broker acknowledged it) and queues marking it sent. The mark is not waited
     * for: if the service dies before it lands, the event is sent again at the next start, which the at-least-once
     * contract allows.
     */
    private void deliverAndMarkSent(OutboxEvent event) {
        relay.send(event).exceptionally(e -> {
            LOG.warnf("Could not mark event %s sent; it is sent again at the next start: %s", event.eventId(),
                    e.getMessage());
            return null;
        });
    }
}
