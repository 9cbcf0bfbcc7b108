package io.duckload.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.events.EventFactory;
import io.duckload.events.Reports;
import io.duckload.outbox.OutboxEvent;
import io.duckload.outbox.OutboxTable;
import io.duckload.outbox.Report;
import io.duckload.warehouse.CrashPoints;
import io.duckload.warehouse.Ledger;
import io.duckload.warehouse.LoadJob;
import io.duckload.warehouse.LoadOutcome;
import io.duckload.warehouse.PartitionWrite;
import io.duckload.warehouse.Writer;

/**
 * The transaction script of one load, run on the writer: skip requests already answered, replace the partition,
 * record the load in the ledger and store one event per request in the outbox, all committed together.
 * {@link GroupCommit} runs several of these in one transaction.
 */
@ApplicationScoped
public class LoadCommit {

    private final Writer writer;
    private final Ledger ledger;
    private final OutboxTable outbox;
    private final EventFactory events;
    private final DuckloadConfig config;
    private final Reports reports;

    public LoadCommit(Writer writer, Ledger ledger, OutboxTable outbox, EventFactory events, DuckloadConfig config,
            Reports reports) {
        this.writer = writer;
        this.ledger = ledger;
        this.outbox = outbox;
        this.events = events;
        this.config = config;
        this.reports = reports;
    }

    /**
     * What a commit answered with: events stored earlier for requests that were already answered (redeliveries),
     * the events of the new load, and what the load changed (empty when every request was answered before).
     */
    public record Answers(List<OutboxEvent> repeated, List<OutboxEvent> fresh, Optional<LoadOutcome> outcome,
            List<Report> reports) {
    }

    /** Commits {@code job} alone, in a transaction of its own; the events are sent by the caller after the commit. */
    public CompletableFuture<Answers> commit(LoadJob job, List<PlannedLoad> requests) {
        return writer.run(connection -> apply(connection, job, requests), this::expectSends);
    }

    /** After the commit, before the writer may release the file: the events about to be sent. */
    void expectSends(Answers answers) {
        CrashPoints.reached("after-commit");
        writer.expectSends(OutboxEvent.ids(answers.repeated()));
        writer.expectSends(OutboxEvent.ids(answers.fresh()));
        reports.committed(answers.reports());
    }

    /**
     * The load's statements inside the caller's transaction: skip requests already answered, replace the
     * partition, record it in the ledger and store one event per request in the outbox. Runs on the writer.
     */
    Answers apply(Connection connection, LoadJob job, List<PlannedLoad> requests) throws SQLException {
        // Idempotency inside the transaction: a redelivered request whose load committed is answered from the
        // outbox, and only the requests not yet answered get this load.
        List<OutboxEvent> earlier = new ArrayList<>();
        List<PlannedLoad> open = new ArrayList<>();
        for (PlannedLoad request : requests) {
            List<OutboxEvent> stored = outbox.eventsOfRequest(connection, request.requestId());
            if (stored.isEmpty()) {
                open.add(request);
            } else {
                earlier.addAll(stored);
            }
        }
        if (open.isEmpty()) {
            return new Answers(earlier, List.of(), Optional.empty(), List.of());
        }
        PartitionWrite write = PartitionWrite.apply(connection, job, config.exportRoot());
        try {
            ledger.record(connection, job, write.outcome());
            List<OutboxEvent> fresh = new ArrayList<>();
            for (PlannedLoad request : open) {
                OutboxEvent event = events.materialized(job.forRequest(request.requestId()), write.outcome(),
                        request.backfill());
                outbox.enqueue(connection, job.loadId(), request.requestId(), event);
                fresh.add(event);
            }
            List<Report> reported = reports.store(connection, job, write.outcome());
            write.publish();
            return new Answers(earlier, fresh, Optional.of(write.outcome()), reported);
        } catch (SQLException | RuntimeException e) {
            write.discard();
            throw e;
        }
    }

    /** Events already stored for {@code requestId}: a redelivered request is answered from these. */
    public CompletableFuture<List<OutboxEvent>> answeredBefore(String requestId) {
        return writer.read(connection -> outbox.eventsOfRequest(connection, requestId),
                stored -> writer.expectSends(OutboxEvent.ids(stored)));
    }
}
