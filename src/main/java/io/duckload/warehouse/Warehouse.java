package io.duckload.warehouse;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.BiFunction;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.failure.DuckDbErrors;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;
import io.quarkus.runtime.StartupEvent;

/**
 * The one writer of the DuckDB file. Every statement that changes the file runs on its single thread, one
 * transaction at a time, however many consumers submit work. With hold-file=while-busy the file is closed whenever
 * the writer has nothing left to do, and reopened (waiting while another process holds it) by the next unit.
 */
@ApplicationScoped
public class Warehouse {

    private static final Logger LOG = Logger.getLogger(Warehouse.class);
    private static final long MARK_DELAY_MS = 20;

    private final DuckloadConfig config;
    private final WriterFile file;
    private final Handoff handoff;
    private final AtomicBoolean recheckScheduled = new AtomicBoolean();
    private final Map<String, CompletableFuture<Void>> pendingMarks = new LinkedHashMap<>();
    private boolean marksScheduled;
    private final ScheduledThreadPoolExecutor writer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "duckload-writer");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Instant busySince;
    private volatile String lastError;

    public Warehouse(AgroalDataSource dataSource, DuckloadConfig config) {
        this.config = config;
        this.file = new WriterFile(dataSource, config);
        this.handoff = new Handoff(config.writer().holdFile(), config.writer().sendGrace());
        // A pending release check must not hold up the shutdown.
        writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    void init(@Observes StartupEvent start) {
        run(connection -> {
            Ledger.createTables(connection);
            return null;
        }).join();
        LOG.infof("DuckDB file %s is ready for writing (hold-file=%s)", config.database().toAbsolutePath(),
                config.writer().holdFile());
    }

    /**
     * Runs {@code job} in one transaction, records it in the ledger and stores the events {@code announce} builds
     * from the outcome in the outbox, one per request the load answers (keyed by request id), all committed
     * together. A dataset with export enabled is also written as parquet; a failed export fails the load.
     */
    public CompletableFuture<Answers> commitLoad(LoadJob job, List<String> requestIds,
            BiFunction<LoadOutcome, List<String>, Map<String, OutboxEvent>> announce) {
        return run(connection -> {
            // Idempotency inside the transaction: a redelivered request whose load committed is answered from
            // the outbox, and only the requests not yet answered get this load.
            List<OutboxEvent> earlier = new ArrayList<>();
            List<String> open = new ArrayList<>();
            for (String requestId : requestIds) {
                List<OutboxEvent> stored = Ledger.eventsOfRequest(connection, requestId);
                if (stored.isEmpty()) {
                    open.add(requestId);
                } else {
                    earlier.addAll(stored);
                }
            }
            if (open.isEmpty()) {
                return new Answers(earlier, List.of());
            }
            LOG.debugf("Load %s: transaction started", job.loadId());
            PartitionLoader.Counts counts = PartitionLoader.load(connection, job.dataset(), job.partition(),
                    job.source());
            CrashPoints.reached("in-transaction");
            ParquetExport export = job.dataset().export()
                    ? ParquetExport.write(connection, config.exportRoot().orElseThrow(), job.dataset(),
                            job.partition(), job.loadId())
                    : null;
            try {
                Instant committedAt = Instant.now();
                Map<String, OutboxEvent> events = announce.apply(new LoadOutcome(counts.inserted(),
                        counts.deleted(), committedAt, Optional.ofNullable(export).map(ParquetExport::target)), open);
                Ledger.record(connection, job, counts, committedAt);
                for (var event : events.entrySet()) {
                    Ledger.enqueue(connection, job.loadId(), event.getKey(), event.getValue());
                }
                // Published just before the commit: a crash in between leaves a file ahead of the table, which
                // the redelivered request's new load overwrites; the reverse order could leave it stale for good.
                if (export != null) {
                    export.publish();
                }
                return new Answers(earlier, List.copyOf(events.values()));
            } catch (RuntimeException | SQLException e) {
                if (export != null) {
                    export.discard();
                }
                throw e;
            }
        }, answers -> {
            CrashPoints.reached("after-commit");
            awaitSend(answers.repeated());
            awaitSend(answers.fresh());
        });
    }

    /**
     * What a commit answered with: events stored earlier for requests that were already answered (redeliveries),
     * and the events of the new load.
     */
    public record Answers(List<OutboxEvent> repeated, List<OutboxEvent> fresh) {
    }

    /** Events already stored for {@code requestId}: a redelivered request is answered from these. */
    public CompletableFuture<List<OutboxEvent>> eventsOfRequest(String requestId) {
        return run(connection -> Ledger.eventsOfRequest(connection, requestId), this::awaitSend);
    }

    /** Outbox events no broker has acknowledged yet, oldest first. */
    public CompletableFuture<List<OutboxEvent>> unsentEvents() {
        return run(Ledger::unsent, this::awaitSend);
    }

    /**
     * Marks an outbox event sent. Marks are gathered for a few milliseconds and written in one transaction, so a
     * stream of small loads does not pay one more commit per event; a mark lost in a crash only means the event
     * is sent again at the next start.
     */
    public CompletableFuture<Void> markSent(String eventId) {
        synchronized (pendingMarks) {
            CompletableFuture<Void> marked = pendingMarks.computeIfAbsent(eventId, id -> new CompletableFuture<>());
            if (!marksScheduled) {
                marksScheduled = true;
                writer.schedule(this::flushMarks, MARK_DELAY_MS, TimeUnit.MILLISECONDS);
            }
            return marked;
        }
    }

    private void flushMarks() {
        Map<String, CompletableFuture<Void>> batch;
        synchronized (pendingMarks) {
            batch = new LinkedHashMap<>(pendingMarks);
            pendingMarks.clear();
            marksScheduled = false;
        }
        if (batch.isEmpty()) {
            return;
        }
        run(connection -> {
            for (String eventId : batch.keySet()) {
                Ledger.markSent(connection, eventId);
            }
            return null;
        }, ignored -> batch.keySet().forEach(handoff::sent)).whenComplete((done, failure) -> batch.values()
                .forEach(marked -> {
                    if (failure == null) {
                        marked.complete(null);
                    } else {
                        marked.completeExceptionally(failure);
                    }
                }));
    }

    /**
     * Closes the file if the writer is idle (hold-file=while-busy). For readers of the same datasource: call it
     * after a read so their pooled connection does not keep the file locked.
     */
    public void releaseIfIdle() {
        writer.execute(this::releaseIfIdleNow);
    }

    /** How long the writer has been inside the current unit of work, if it is in one. */
    public Optional<Duration> busyFor() {
        Instant since = busySince;
        return since == null ? Optional.empty() : Optional.of(Duration.between(since, Instant.now()));
    }

    /** The last error that kept the writer from opening the file, or empty after a success. */
    public Optional<String> lastOpenError() {
        return Optional.ofNullable(lastError);
    }

    /** Total time units of work waited for another process (dbt) to release the file lock, since start. */
    public Duration totalLockWait() {
        return file.totalLockWait();
    }

    /** How many times a unit of work found the file locked by another process and waited. */
    public long lockWaits() {
        return file.lockWaits();
    }

    /** Runs {@code work} on the writer thread in one transaction; rolls back on any failure. */
    <T> CompletableFuture<T> run(Work<T> work) {
        return run(work, ignored -> {
        });
    }

    /** As {@link #run(Work)}; {@code committed} sees the result after the commit, before the file may close. */
    private <T> CompletableFuture<T> run(Work<T> work, Consumer<T> committed) {
        handoff.submitted();
        return CompletableFuture.supplyAsync(() -> {
            handoff.started();
            busySince = Instant.now();
            try {
                T result = inTransaction(work);
                committed.accept(result);
                return result;
            } catch (RuntimeException e) {
                // A fatal error leaves DuckDB's instance unusable ("database has been invalidated"): reopen it.
                if (DuckDbErrors.isInvalidated(e)) {
                    file.close();
                }
                throw e;
            } finally {
                busySince = null;
                releaseIfIdleNow();
            }
        }, writer);
    }

    private void awaitSend(List<OutboxEvent> events) {
        handoff.awaitSend(events.stream().map(OutboxEvent::eventId).toList());
    }

    /** On the writer thread: closes the file when nothing is queued and every committed event was sent. */
    private void releaseIfIdleNow() {
        if (handoff.mayRelease()) {
            if (file.isOpen()) {
                file.close();
                LOG.debugf("DuckDB file %s released: the writer is idle", config.database().toAbsolutePath());
            }
        } else if (handoff.waitingForSends() && recheckScheduled.compareAndSet(false, true)) {
            writer.schedule(() -> {
                recheckScheduled.set(false);
                releaseIfIdleNow();
            }, handoff.sendGrace().toMillis() + 100, TimeUnit.MILLISECONDS);
        }
    }

    private <T> T inTransaction(Work<T> work) {
        Connection connection;
        try {
            connection = file.get();
            lastError = null;
        } catch (SQLException | IOException e) {
            lastError = e.getMessage();
            throw new LoadException(ErrorCode.DATABASE_UNAVAILABLE,
                    "cannot open DuckDB file " + config.database() + ": " + e.getMessage(), e);
        }
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                if (e instanceof LoadException load) {
                    throw load;
                }
                if (e instanceof SQLException sql) {
                    throw DuckDbErrors.classify(sql);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw DuckDbErrors.classify(e);
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warnf("Rollback failed: %s", e.getMessage());
        }
    }

    /**
     * Lets the unit in progress finish (its commit or rollback), then closes the file. Queued units still run
     * first; one waiting for the lock gives up, and its request stays unanswered, so it is redelivered.
     */
    @PreDestroy
    void stop() throws InterruptedException {
        file.stop();
        // Marks still gathering would be dropped with the delayed tasks: queue them now, so that events sent
        // before the shutdown are not sent again at the next start.
        flushMarks();
        writer.shutdown();
        if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.warn("The writer did not finish its unit of work within 30 s; DuckDB rolls it back on next open");
            return;
        }
        file.close();
        LOG.infof("DuckDB file %s closed", config.database().toAbsolutePath());
    }

    /** A unit of work on the writer's connection. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** The ledger and outbox tables, duckload's own bookkeeping inside the DuckDB file. */
    static final class Ledger {

        private Ledger() {
        }

        static void createTables(Connection connection) throws SQLException {
            PartitionLoader.execute(connection, """
                    CREATE TABLE IF NOT EXISTS duckload_loads (
                        load_id varchar, request_id varchar, dataset varchar, table_name varchar,
                        partition_key varchar, partition_value varchar, rows_inserted bigint, rows_deleted bigint,
                        source_uri varchar, source_bytes bigint, source_sha256 varchar,
                        started_at timestamptz, finished_at timestamptz, source_etag varchar)""");
            PartitionLoader.execute(connection,
                    "ALTER TABLE duckload_loads ADD COLUMN IF NOT EXISTS source_etag varchar");
            PartitionLoader.execute(connection, """
                    CREATE TABLE IF NOT EXISTS duckload_outbox (
                        event_id varchar, load_id varchar, request_id varchar, topic varchar, event_key varchar,
                        event_type varchar, subject varchar, payload varchar, created_at timestamptz,
                        sent_at timestamptz)""");
        }

        static void record(Connection connection, LoadJob job, PartitionLoader.Counts counts, Instant finishedAt)
                throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO duckload_loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, job.loadId());
                insert.setString(2, job.requestId());
                insert.setString(3, job.dataset().name());
                insert.setString(4, job.dataset().table());
                insert.setString(5, job.partition().map(p -> p.key()).orElse(null));
                insert.setString(6, job.partition().map(p -> p.value()).orElse(null));
                insert.setLong(7, counts.inserted());
                insert.setLong(8, counts.deleted());
                insert.setString(9, job.source().uri());
                insert.setLong(10, job.source().bytes());
                insert.setString(11, job.source().sha256());
                insert.setTimestamp(12, Timestamp.from(job.startedAt()));
                insert.setTimestamp(13, Timestamp.from(finishedAt));
                insert.setString(14, job.source().etag());
                insert.executeUpdate();
            }
        }

        static void enqueue(Connection connection, String loadId, String requestId, OutboxEvent event)
                throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO duckload_outbox VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)")) {
                insert.setString(1, event.eventId());
                insert.setString(2, loadId);
                insert.setString(3, requestId);
                insert.setString(4, event.topic());
                insert.setString(5, event.key());
                insert.setString(6, event.type());
                insert.setString(7, event.subject());
                insert.setString(8, event.payload());
                insert.setTimestamp(9, Timestamp.from(event.createdAt()));
                insert.executeUpdate();
            }
        }

        static List<OutboxEvent> eventsOfRequest(Connection connection, String requestId) throws SQLException {
            return select(connection, "WHERE request_id = ? ORDER BY created_at", requestId);
        }

        static List<OutboxEvent> unsent(Connection connection) throws SQLException {
            return select(connection, "WHERE sent_at IS NULL ORDER BY created_at", null);
        }

        static void markSent(Connection connection, String eventId) throws SQLException {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE duckload_outbox SET sent_at = now() WHERE event_id = ? AND sent_at IS NULL")) {
                update.setString(1, eventId);
                update.executeUpdate();
            }
        }

        private static List<OutboxEvent> select(Connection connection, String where, String parameter)
                throws SQLException {
            List<OutboxEvent> events = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT event_id, topic, event_key, event_type, subject, payload, created_at FROM duckload_outbox "
                            + where)) {
                if (parameter != null) {
                    query.setString(1, parameter);
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        events.add(new OutboxEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
                    }
                }
            }
            return events;
        }
    }
}
