package io.duckload.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import io.duckload.contracts.BackfillPosition;
import io.duckload.events.EventFactory;
import io.duckload.outbox.OutboxEvent;
import io.duckload.outbox.OutboxTable;
import io.duckload.outbox.Report;
import io.duckload.outbox.ReportRelay;
import io.duckload.warehouse.GroupWrite;
import io.duckload.warehouse.LoadJob;
import io.duckload.warehouse.LoadOutcome;
import io.duckload.warehouse.Writer;

/**
 * The transaction script of the loads of one commit, run on the writer: skip requests already answered, write the
 * loads into the file ({@link GroupWrite}: partitions, checks, exports, ledger rows), and store one event per request
 * and the integrations' reports in the outbox, all committed together. {@link GroupCommit} runs it on the writer for
 * a group of loads (a group of one when group commit is off).
 */
@ApplicationScoped
public class LoadCommit {

    private final Writer writer;
    private final GroupWrite files;
    private final OutboxTable outbox;
    private final EventFactory events;
    private final ReportRelay relay;

    public LoadCommit(Writer writer, GroupWrite files, OutboxTable outbox, EventFactory events, ReportRelay relay) {
        this.writer = writer;
        this.files = files;
        this.outbox = outbox;
        this.events = events;
        this.relay = relay;
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

    /** After the commit, before the writer may release the file: the events about to be sent. */
    void expectSends(Answers answers) {
        writer.expectSends(OutboxEvent.ids(answers.repeated()));
        writer.expectSends(OutboxEvent.ids(answers.fresh()));
        relay.committed(answers.reports());
    }

    /**
     * The statements of {@code loads} inside the caller's transaction, in order: skip requests already answered,
     * write the loads that answer the others, and store their events in the outbox. The look-up, the ledger rows and
     * the outbox rows are one statement each for all of them (chunked when many): each statement costs the writer
     * milliseconds, the partitions' own statements aside. Runs on the writer.
     */
    List<Answers> applyAll(Connection connection, List<Load> loads) throws SQLException {
        // Idempotency inside the transaction: a redelivered request whose load committed is answered from the
        // outbox, and only the requests not yet answered get a load. A request answered by an earlier load of the
        // same transaction counts as answered too.
        Map<String, List<OutboxEvent>> answered = new HashMap<>(outbox.eventsOfRequests(connection,
                loads.stream().flatMap(load -> load.requests().stream()).map(PlannedLoad::requestId).toList()));
        Set<String> taken = new HashSet<>(answered.keySet());
        List<Load> open = loads.stream().map(load -> new Load(load.job(),
                load.requests().stream().filter(request -> taken.add(request.requestId())).toList())).toList();
        Iterator<LoadOutcome> outcomes = files.write(connection, open.stream()
                .filter(load -> !load.requests().isEmpty()).map(Load::job).toList()).iterator();
        List<OutboxTable.Row> rows = new ArrayList<>();
        List<Answers> answers = new ArrayList<>(loads.size());
        for (int i = 0; i < loads.size(); i++) {
            LoadJob job = loads.get(i).job();
            List<PlannedLoad> fresh = open.get(i).requests();
            Optional<LoadOutcome> outcome = Optional.empty();
            List<OutboxEvent> announced = List.of();
            List<Report> reported = List.of();
            if (!fresh.isEmpty()) {
                outcome = Optional.of(outcomes.next());
                Map<String, Optional<BackfillPosition>> requests = new LinkedHashMap<>();
                fresh.forEach(request -> requests.put(request.requestId(), request.backfill()));
                EventFactory.Announcement announcement = events.announcing(connection, job, outcome.get(), requests);
                announced = announcement.events();
                reported = announcement.reports();
                for (int r = 0; r < fresh.size(); r++) {
                    String requestId = fresh.get(r).requestId();
                    answered.put(requestId, List.of(announced.get(r)));
                    rows.add(new OutboxTable.Row(job.loadId(), requestId,
                            Report.toTopic(OutboxTable.KAFKA, announced.get(r))));
                }
                reported.forEach(report -> rows.add(new OutboxTable.Row(job.loadId(), job.requestId(), report)));
            }
            List<OutboxEvent> earlier = loads.get(i).requests().stream().filter(request -> !fresh.contains(request))
                    .flatMap(request -> answered.get(request.requestId()).stream()).toList();
            answers.add(new Answers(earlier, announced, outcome, reported));
        }
        outbox.enqueue(connection, rows);
        return answers;
    }

    /** Events already stored for {@code requestId}: a redelivered request is answered from these. */
    public CompletableFuture<List<OutboxEvent>> answeredBefore(String requestId) {
        return writer.read(connection -> outbox.eventsOfRequest(connection, requestId),
                stored -> writer.expectSends(OutboxEvent.ids(stored)));
    }
}
