package io.duckload.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.warehouse.LoadJob;
import io.duckload.warehouse.Writer;

/**
 * Group commit: loads whose sources are staged while the writer is busy wait here and are committed together, in
 * one transaction, when the writer gets to them — one commit (one WAL sync) for the group instead of one per load.
 * A lone load is committed at once, as before. Each load keeps its own ledger row and outbox rows, so each is
 * still all-or-nothing; if any load of a group fails, the group's transaction is rolled back and every load is
 * committed again on its own, so one bad partition never takes the others down. Loads of one dataset partition
 * never meet in a group: the pipeline runs them one after the other. A group holds at most
 * {@code duckload.writer.group-max-bytes} of sources (one load at least), so big loads are not held back behind
 * each other: what groups are the small ones, whose statements and commit dominate.
 */
@ApplicationScoped
public class GroupCommit {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    private final Writer writer;
    private final LoadCommit loads;
    private final Event<GroupCommitted> committedGroups;
    private final List<Pending> waiting = new ArrayList<>();
    private final long maxBytes;
    private final boolean grouping;
    private boolean drainQueued;

    public GroupCommit(Writer writer, LoadCommit loads, Event<GroupCommitted> committedGroups,
            DuckloadConfig config) {
        this.writer = writer;
        this.loads = loads;
        this.committedGroups = committedGroups;
        this.maxBytes = config.writer().groupMaxBytes();
        this.grouping = config.writer().groupCommit();
    }

    /**
     * Commits {@code job} with whatever else is waiting when the writer is free; completes after the commit. With
     * group commit off ({@code duckload.writer.group-commit=false}) every load is a group of one: committed alone.
     */
    public CompletableFuture<LoadCommit.Answers> commit(LoadJob job, List<PlannedLoad> requests) {
        Pending pending = new Pending(job, requests, new CompletableFuture<>());
        if (!grouping) {
            alone(pending, true);
            return pending.done();
        }
        synchronized (waiting) {
            waiting.add(pending);
            if (!drainQueued) {
                drainQueued = true;
                drain();
            }
        }
        return pending.done();
    }

    /** Queues one group's transaction on the writer: the loads waiting when it starts, up to the byte budget. */
    private void drain() {
        AtomicReference<List<Pending>> taken = new AtomicReference<>();
        transaction(() -> {
            taken.set(takeGroup());
            return taken.get();
        }, true).exceptionally(failure -> {
            // Taken by the failed transaction, or still waiting if the file could not be opened.
            retryAlone(taken.get() != null ? taken.get() : takeGroup(), failure);
            return null;
        });
    }

    /** Commits {@code load} as a group of one; {@code counted} by the group-size metric unless a group's retry. */
    private void alone(Pending load, boolean counted) {
        transaction(() -> List.of(load), counted).exceptionally(failure -> {
            failed(load, failure);
            return null;
        });
    }

    /** Hands {@code failure} (unwrapped) to the worker waiting on {@code load}. */
    private static void failed(Pending load, Throwable failure) {
        load.done().completeExceptionally(
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
    }

    /**
     * One transaction on the writer for the loads {@code group} hands over when it starts ({@link LoadCommit} is its
     * script); once it committed, each load's worker gets its answers and, if {@code counted}, the group's size is
     * reported to the metrics.
     */
    private CompletableFuture<Committed> transaction(Supplier<List<Pending>> group, boolean counted) {
        return writer.load(connection -> {
            long started = System.nanoTime();
            List<Pending> taken = group.get();
            List<LoadCommit.Answers> answers = loads.applyAll(connection, taken.stream()
                    .map(load -> new LoadCommit.Load(load.job(), load.requests())).toList());
            LOG.debugf("Group of %d load(s) written in %d ms, committing", taken.size(),
                    (System.nanoTime() - started) / 1_000_000);
            return new Committed(taken, answers);
        }, committed -> committed.answers().forEach(loads::expectSends)).whenComplete((committed, failure) -> {
            if (failure == null && !committed.group().isEmpty()) {
                try {
                    if (counted) {
                        committedGroups.fire(new GroupCommitted(committed.group().size()));
                    }
                } finally {
                    committed.complete();
                }
            }
        });
    }

    /** Loads waiting for the writer now (for tests). */
    int waiting() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    /**
     * The next group, taken when its transaction starts: the waiting loads in arrival order while their sources
     * fit in {@code group-max-bytes} (the first always). Later arrivals and what did not fit form the next group,
     * queued at once.
     */
    private List<Pending> takeGroup() {
        synchronized (waiting) {
            int size = fitting(waiting.stream().mapToLong(load -> load.job().source().bytes()).toArray(), maxBytes);
            List<Pending> group = List.copyOf(waiting.subList(0, size));
            waiting.subList(0, size).clear();
            drainQueued = !waiting.isEmpty();
            if (drainQueued) {
                drain();
            }
            return group;
        }
    }

    /** How many of the loads, in order, form one group: those whose sizes fit {@code maxBytes}, one at least. */
    static int fitting(long[] bytes, long maxBytes) {
        long sum = 0;
        for (int i = 0; i < bytes.length; i++) {
            sum += bytes[i];
            if (i > 0 && sum > maxBytes) {
                return i;
            }
        }
        return bytes.length;
    }

    private void retryAlone(List<Pending> group, Throwable failure) {
        if (group.size() == 1) {
            failed(group.get(0), failure);
            return;
        }
        if (group.size() > 1) {
            LOG.infof("A group commit of %d loads failed (%s); committing each on its own", group.size(),
                    failure.getMessage());
            // Not counted as groups: these loads land outside group commit.
            group.forEach(load -> alone(load, false));
        }
    }

    /** A load waiting for the writer, and the future its worker waits on. */
    private record Pending(LoadJob job, List<PlannedLoad> requests, CompletableFuture<LoadCommit.Answers> done) {
    }

    /** A committed group: each load with its answers, in order. */
    private record Committed(List<Pending> group, List<LoadCommit.Answers> answers) {
        void complete() {
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(answers.get(i));
            }
        }
    }
}
