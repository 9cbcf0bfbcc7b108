package io.duckload.warehouse;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.failure.DuckDbErrors;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;
import io.duckload.failure.Pause;

/**
 * The one writer of the DuckDB file. Every statement that changes the file runs on its single thread, one
 * transaction at a time, however many callers submit work. With hold-file=while-busy the file is detached whenever
 * the writer has nothing left to do, and attached again (waiting while another process holds it) by the next unit.
 */
@ApplicationScoped
public class Writer {

    private static final Logger LOG = Logger.getLogger(Writer.class);

    private final DuckloadConfig config;
    private final WriterFile file;
    private final Handoff handoff;
    private volatile Thread thread;
    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
        Thread created = new Thread(r, "duckload-writer");
        created.setDaemon(true);
        thread = created;
        return created;
    });
    private final FileHealth health;
    private final Release release;
    private volatile Instant busySince;
    /** What the unit of work running now learned about its tables, made by its first {@link #tableMemo}. */
    private TableMemo unitMemo;
    private final Clock clock;

    public Writer(AgroalDataSource dataSource, DuckloadConfig config, StorageVersion storage, Pause pause,
            Clock clock) {
        this.config = config;
        this.clock = clock;
        this.file = new WriterFile(dataSource, config, storage, () -> Thread.currentThread() == thread, pause, clock);
        this.handoff = new Handoff(config.writer().holdFile(), config.writer().sendGrace(), clock);
        this.health = new FileHealth(config.database(), clock);
        // A pending release check must not hold up the shutdown.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.release = new Release(file, handoff, health, config, executor);
    }

    /** Creates duckload's own tables, the writer's first unit ({@link WriterStart}); completes once committed. */
    CompletableFuture<Void> createTables(Iterable<Tables> tables) {
        CompletableFuture<Void> created = new CompletableFuture<>();
        run(connection -> {
            for (Tables table : tables) {
                table.create(connection);
            }
            return null;
        }, committed -> created.complete(null)).exceptionally(e -> {
            created.completeExceptionally(e);
            return null;
        });
        return created;
    }

    /** Runs {@code work} on the writer thread in one transaction; rolls back on any failure. */
    public <T> CompletableFuture<T> run(Work<T> work) {
        return run(work, ignored -> {
        });
    }

    /**
     * As {@link #run(Work)}; {@code committed} sees the result after the commit, on the writer thread, before the
     * file may be closed (e.g. to {@link #expectSends} of the events the work stored).
     */
    public <T> CompletableFuture<T> run(Work<T> work, Consumer<T> committed) {
        return submit(work, committed, Unit.WRITE);
    }

    /**
     * As {@link #run(Work, Consumer)} for loads whose events {@code committed} lets go out. With hold-file=while-busy
     * and {@code checkpoint-before-announce}, when no other unit is queued (the file is about to be handed to dbt),
     * the file is checkpointed after the commit and before the events are sent: a load is announced only once its
     * rows are in the file itself, not only in the WAL, and a checkpoint that finds the file corrupt fails the load
     * with DATABASE_CORRUPT instead of announcing it (issue 31).
     */
    public <T> CompletableFuture<T> load(Work<T> work, Consumer<T> committed) {
        return submit(work, committed, Unit.LOAD);
    }

    /**
     * As {@link #run(Work, Consumer)} for work that only reads: its success says nothing about whether the file can
     * be written, so it does not end a full-disk or read-only condition.
     */
    public <T> CompletableFuture<T> read(Work<T> work, Consumer<T> committed) {
        return submit(work, committed, Unit.READ);
    }

    /** What a unit of work does to the file. */
    private enum Unit {
        READ, WRITE, LOAD
    }

    private <T> CompletableFuture<T> submit(Work<T> work, Consumer<T> committed, Unit unit) {
        handoff.submitted();
        return CompletableFuture.supplyAsync(() -> {
            handoff.started();
            release.unitStarted();
            busySince = clock.instant();
            try {
                refuseIfCorrupt();
                T result = Transaction.run(file, config.database(), connection -> {
                    T done = work.apply(connection);
                    if (unitMemo != null) {
                        unitMemo.publishAside();
                    }
                    return done;
                });
                if (unit == Unit.LOAD && config.writer().checkpointBeforeAnnounce() && handoff.handsOverNext()) {
                    Transaction.checkpoint(file);
                }
                // A reader found the file corrupt while this unit ran: what it committed is not announced.
                refuseIfCorrupt();
                if (unit != Unit.READ) {
                    health.succeeded();
                }
                if (unit == Unit.LOAD) {
                    CrashPoints.reached("after-commit");
                }
                committed.accept(result);
                return result;
            } catch (LoadException e) {
                if (e.code() == ErrorCode.DATABASE_CORRUPT) {
                    health.failed(e);
                    file.abandon();
                } else if (e.code().isDatabase()) {
                    // After a failed write (disk full, WAL lost, "database has been invalidated") DuckDB's instance
                    // may be unusable: the next unit reopens the file, which replays or discards the WAL.
                    health.failed(e);
                    file.close();
                }
                throw e;
            } catch (RuntimeException e) {
                if (DuckDbErrors.isInvalidated(e)) {
                    file.close();
                }
                throw e;
            } finally {
                if (unitMemo != null) {
                    unitMemo.discardAside();
                    unitMemo = null;
                }
                busySince = null;
                release.ifIdleNow();
            }
        }, executor);
    }

    /**
     * Runs read-only {@code work} for a reader such as the API, outside any unit of work: beside the writer (its own
     * connection, DuckDB isolates it) while the file is attached, else as a unit on the writer thread, which attaches
     * the file (waiting at most {@code timeout}: another process may hold it).
     */
    public <T> T readBeside(Work<T> work, Duration timeout) throws SQLException {
        Optional<T> beside;
        try {
            beside = file.read(work);
        } catch (SQLException e) {
            LoadException classified = DuckDbErrors.classify(e);
            if (classified.code() == ErrorCode.DATABASE_CORRUPT) {
                health.failed(classified);
            }
            throw e;
        }
        if (beside.isPresent()) {
            return beside.get();
        }
        try {
            return read(work, ignored -> {
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SQLException("the DuckDB file is held by another process (e.g. dbt): try again later", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while reading the DuckDB file", e);
        }
    }

    /**
     * The memo of the unit of work running now (writer thread): knows what units committed since the file was
     * attached; the exports written aside in it are published just before the unit commits.
     */
    TableMemo tableMemo() {
        if (unitMemo == null) {
            unitMemo = new TableMemo(file.known());
        }
        return unitMemo;
    }

    /** Runs {@code task} on the writer thread after {@code delay} (outside any transaction). */
    public void schedule(Runnable task, Duration delay) {
        executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Events about to be sent: with hold-file=while-busy the file stays open until they are {@link #sent}. */
    public void expectSends(Collection<String> eventIds) {
        handoff.awaitSend(eventIds);
    }

    /** An expected event was acknowledged by the broker and marked sent. */
    public void sent(String eventId) {
        handoff.sent(eventId);
    }

    /** Releases the file if the writer is idle (hold-file=while-busy), after the release linger. */
    public void releaseIfIdle() {
        executor.execute(release::ifIdleNow);
    }

    /** When the unit of work running now began (writer thread, inside a unit). */
    Instant unitStartedAt() {
        return busySince;
    }

    /** How long the writer has been inside the current unit of work, if it is in one. */
    public Optional<Duration> busyFor() {
        Instant since = busySince;
        return since == null ? Optional.empty() : Optional.of(Duration.between(since, clock.instant()));
    }

    /**
     * Why the file cannot be written, as the last unit of work found (code and message), or empty once a unit
     * succeeded or a probe of the disk found that the condition cleared.
     */
    public Optional<String> unwritableBecause() {
        return health.problem().map(p -> p.code() + ": " + p.message());
    }

    /** Total time units of work waited for another process (dbt) to release the file lock, since start. */
    public Duration totalLockWait() {
        return file.totalLockWait();
    }

    /** How many times a unit of work found the file locked by another process and waited. */
    public long lockWaits() {
        return file.lockWaits();
    }

    /**
     * Once DuckDB reported the file corrupt (a load, a checkpoint at release, a read), every unit fails at once
     * without touching the file: no load commits or is announced, and the file and its WAL stay as they are.
     */
    private void refuseIfCorrupt() {
        health.corrupt().ifPresent(corrupt -> {
            throw new LoadException(ErrorCode.DATABASE_CORRUPT, "DuckDB file " + config.database().toAbsolutePath()
                    + " was found corrupt at " + corrupt.since() + " and is left untouched until it is restored: "
                    + corrupt.message());
        });
    }

    /**
     * Lets the unit in progress finish (its commit or rollback), then closes the file. Queued units still run
     * first; one waiting for the lock gives up, and its request stays unanswered, so it is redelivered.
     */
    @PreDestroy
    void stop() throws InterruptedException {
        file.stop();
        executor.shutdown();
        if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.warn("The writer did not finish its unit of work within 30 s; DuckDB rolls it back on next open");
            return;
        }
        file.close();
        LOG.infof("DuckDB file %s closed", config.database().toAbsolutePath());
    }
}
