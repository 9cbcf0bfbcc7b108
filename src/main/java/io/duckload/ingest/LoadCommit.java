package io.duckload.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.LoadMode;
import io.duckload.events.EventFactory;
import io.duckload.events.Reports;
import io.duckload.outbox.OutboxEvent;
import io.duckload.outbox.OutboxTable;
import io.duckload.outbox.Report;
import io.duckload.warehouse.GroupInsert;
import io.duckload.warehouse.Ledger;
import io.duckload.warehouse.LoadJob;
import io.duckload.warehouse.LoadOutcome;
import io.duckload.warehouse.PartitionWrite;
import io.duckload.warehouse.TableMemo;
import io.duckload.warehouse.Writer;

/**
 * The transaction script of one load, run on the writer: skip requests already answered, replace the partition,
 * record the load in the ledger and store one event per request in the outbox, all committed together.
 * {@link GroupCommit} runs several of these in one transaction.
 */
@ApplicationScoped
public class LoadCommit {

    private static final Logger LOG = Logger.getLogger(LoadCommit.class);

    private final Writer writer;
    private final Ledger ledger;
    private final OutboxTable outbox;
    private final EventFactory events;
    private final DuckloadConfig config;
    private final Reports reports;
    /** Datasets whose loads wrote rows outside their partitions: each of their loads inserts on its own. */
    private final Set<String> scattered = ConcurrentHashMap.newKeySet();

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

    /** A load and the requests it answers, as one unit of a transaction. */
    record Load(LoadJob job, List<PlannedLoad> requests) {
    }

    /** Commits {@code job} alone, in a transaction of its own; the events are sent by the caller after the commit. */
    public CompletableFuture<Answers> commit(LoadJob job, List<PlannedLoad> requests) {
        return writer.load(connection -> applyAll(connection, List.of(new Load(job, requests))).get(0),
                this::expectSends);
    }

    /** After the commit, before the writer may release the file: the events about to be sent. */
    void expectSends(Answers answers) {
        writer.expectSends(OutboxEvent.ids(answers.repeated()));
        writer.expectSends(OutboxEvent.ids(answers.fresh()));
        reports.committed(answers.reports());
    }

    /**
     * The statements of {@code loads} inside the caller's transaction, in order: skip requests already answered,
     * replace each partition, record the loads in the ledger and store one event per request in the outbox. The
     * look-up, the ledger rows and the outbox rows are one statement each for all of them (chunked when many):
     * each statement costs the writer milliseconds, the partitions' own statements aside. Runs on the writer.
     */
    List<Answers> applyAll(Connection connection, List<Load> loads) throws SQLException {
        // Idempotency inside the transaction: a redelivered request whose load committed is answered from the
        // outbox, and only the requests not yet answered get a load. A request answered by an earlier load of the
        // same transaction counts as answered too.
        Map<String, List<OutboxEvent>> answered = new HashMap<>(outbox.eventsOfRequests(connection,
                loads.stream().flatMap(load -> load.requests().stream()).map(PlannedLoad::requestId).toList()));
        TableMemo tables = writer.tableMemo();
        replaceTogether(connection, loads, answered, tables);
        List<Ledger.Entry> ledgerRows = new ArrayList<>();
        List<OutboxTable.Row> outboxRows = new ArrayList<>();
        List<PartitionWrite> writes = new ArrayList<>();
        List<Answers> answers = new ArrayList<>(loads.size());
        try {
            for (Load load : loads) {
                answers.add(apply(connection, load, answered, tables, writes, ledgerRows, outboxRows));
            }
            ledger.record(connection, ledgerRows);
            outbox.enqueue(connection, outboxRows);
            writes.forEach(PartitionWrite::publish);
            return answers;
        } catch (SQLException | RuntimeException e) {
            writes.forEach(PartitionWrite::discard);
            throw e;
        }
    }

    /**
     * Replaces the partitions this transaction replaces, per dataset that has several of them: one statement deletes
     * their old rows and one inserts their new ones, instead of two per load. Loads whose requests were all answered
     * before are left out: they change nothing. A dataset whose loads wrote rows outside their partitions once keeps
     * to one insert per load from then on.
     */
    private void replaceTogether(Connection connection, List<Load> loads, Map<String, List<OutboxEvent>> answered,
            TableMemo tables) throws SQLException {
        Map<Dataset, List<LoadJob>> jobs = new LinkedHashMap<>();
        for (Load load : loads) {
            LoadJob job = load.job();
            boolean open = load.requests().stream().anyMatch(request -> !answered.containsKey(request.requestId()));
            if (open && job.dataset().mode() == LoadMode.REPLACE_PARTITION && job.partition().isPresent()) {
                jobs.computeIfAbsent(job.dataset(), d -> new ArrayList<>()).add(job);
            }
        }
        for (var entry : jobs.entrySet()) {
            Dataset dataset = entry.getKey();
            if (entry.getValue().size() > 1) {
                PartitionWrite.clearPartitions(connection, dataset,
                        entry.getValue().stream().map(job -> job.partition().orElseThrow()).toList(), tables);
                if (!scattered.contains(dataset.name())) {
                    insertTogether(connection, dataset, entry.getValue(), tables);
                }
            }
        }
    }

    private void insertTogether(Connection connection, Dataset dataset, List<LoadJob> jobs, TableMemo tables)
            throws SQLException {
        try {
            PartitionWrite.insertTogether(connection, dataset, jobs, tables);
        } catch (GroupInsert.RowsOutsidePartitions e) {
            scattered.add(dataset.name());
            LOG.infof("Dataset %s: %s", dataset.name(), e.getMessage());
            throw e;
        }
    }

    private Answers apply(Connection connection, Load load, Map<String, List<OutboxEvent>> answered,
            TableMemo tables, List<PartitionWrite> writes, List<Ledger.Entry> ledgerRows,
            List<OutboxTable.Row> outboxRows) throws SQLException {
        LoadJob job = load.job();
        List<OutboxEvent> earlier = new ArrayList<>();
        List<PlannedLoad> open = new ArrayList<>();
        for (PlannedLoad request : load.requests()) {
            List<OutboxEvent> stored = answered.get(request.requestId());
            if (stored == null) {
                open.add(request);
            } else {
                earlier.addAll(stored);
            }
        }
        if (open.isEmpty()) {
            return new Answers(earlier, List.of(), Optional.empty(), List.of());
        }
        PartitionWrite write = PartitionWrite.apply(connection, job, config.exportRoot(), tables);
        writes.add(write);
        ledgerRows.add(new Ledger.Entry(job, write.outcome()));
        List<OutboxEvent> fresh = new ArrayList<>();
        for (PlannedLoad request : open) {
            OutboxEvent event = events.materialized(job.forRequest(request.requestId()), write.outcome(),
                    request.backfill());
            outboxRows.add(new OutboxTable.Row(job.loadId(), request.requestId(),
                    new Report(OutboxTable.KAFKA, event)));
            answered.put(request.requestId(), List.of(event));
            fresh.add(event);
        }
        List<Report> reported = reports.of(connection, job, write.outcome());
        reported.forEach(report -> outboxRows.add(new OutboxTable.Row(job.loadId(), job.requestId(), report)));
        return new Answers(earlier, fresh, Optional.of(write.outcome()), reported);
    }

    /** Events already stored for {@code requestId}: a redelivered request is answered from these. */
    public CompletableFuture<List<OutboxEvent>> answeredBefore(String requestId) {
        return writer.read(connection -> outbox.eventsOfRequest(connection, requestId),
                stored -> writer.expectSends(OutboxEvent.ids(stored)));
    }
}
