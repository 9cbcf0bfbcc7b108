package io.duckload.warehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.duckload.catalog.DuckDbConfig;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.failure.Backoff;
import io.duckload.failure.DuckDbErrors;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;
import io.duckload.failure.Pause;

/**
 * The writer's own connection to the DuckDB file, used by the writer thread only. It is a connection to an in-memory
 * DuckDB instance that the file is attached to (under its own name, {@code USE}d as the default): {@link #release()}
 * detaches the file, which checkpoints it and releases its lock so other processes (dbt) can open it, while the
 * instance stays, with its worker threads and warm memory; the next unit attaches the file again in a few
 * milliseconds. Closing and reopening a DuckDB file instead costs each load some 150 ms (open, cold buffers, first
 * touches of memory: measured on a 3,000,000-row month). Readers in the same JVM read through {@link #read} on
 * connections of that instance while the file is attached. The instance is opened outside the Agroal pool; the
 * pool's configuration gives its URL and settings.
 */
final class WriterFile {

    private static final Logger LOG = Logger.getLogger(WriterFile.class);
    private static final String IN_MEMORY = "jdbc:duckdb:";
    private static final Set<String> RESERVED = Set.of("memory", "system", "temp", "main");

    private final AgroalDataSource pool;
    private final DuckloadConfig config;
    private final AtomicLong lockWaitNanos = new AtomicLong();
    private final AtomicLong lockWaits = new AtomicLong();
    private final BooleanSupplier onWriterThread;
    private volatile boolean stopping;
    /** Held by readers while they read; the writer detaches the file or closes the instance under the write lock. */
    private final ReentrantReadWriteLock attachment = new ReentrantReadWriteLock();
    private DuckDBConnection connection;
    private volatile boolean attached;
    private final KnownTables known = new KnownTables();
    private final StorageVersion storage;
    private final Pause pause;
    private final Clock clock;

    /** With the real pause and clock (tests). */
    WriterFile(AgroalDataSource pool, DuckloadConfig config, BooleanSupplier onWriterThread) {
        this(pool, config, new StorageVersion(config), onWriterThread, Pause.real(), Clock.systemUTC());
    }

    WriterFile(AgroalDataSource pool, DuckloadConfig config, StorageVersion storage, BooleanSupplier onWriterThread,
            Pause pause, Clock clock) {
        this.pool = pool;
        this.config = config;
        this.onWriterThread = onWriterThread;
        this.storage = storage;
        this.pause = pause;
        this.clock = clock;
    }

    /** The open connection, opening the file first if needed; waits without limit while another process holds it. */
    Connection get() throws SQLException, IOException {
        if (!onWriterThread.getAsBoolean()) {
            // Two threads on one DuckDB connection would interleave transactions: a bug, not a condition to handle.
            throw new IllegalStateException("the DuckDB file's connection was asked for on thread "
                    + Thread.currentThread().getName() + ", not on the writer thread");
        }
        if (connection == null || connection.isClosed()) {
            connection = openInstance();
        }
        if (!attached) {
            Path parent = config.database().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            attachWaitingForLock();
        }
        return connection;
    }

    /** What committed units learned about the tables since the file was last attached (writer thread only). */
    KnownTables known() {
        return known;
    }

    /** Whether the file is attached (and so locked against other processes). */
    boolean isOpen() {
        return attached;
    }

    /**
     * Runs {@code work} on a connection of its own to the attached file, beside the writer's unit if one runs (DuckDB
     * isolates it): empty if the file is not attached, without waiting for it.
     */
    <T> Optional<T> read(Work<T> work) throws SQLException {
        attachment.readLock().lock();
        try {
            if (!attached) {
                return Optional.empty();
            }
            try (DuckDBConnection reader = connection.duplicate(); Statement use = reader.createStatement()) {
                use.execute("USE " + Sql.quote(alias()));
                return Optional.ofNullable(work.apply(reader));
            }
        } finally {
            attachment.readLock().unlock();
        }
    }

    /**
     * Detaches the file: DuckDB checkpoints it and releases its lock; the instance stays for the next unit. If DuckDB
     * refused, the failure, and the instance is closed (abandoned, without a checkpoint, if the file is corrupt).
     */
    Optional<LoadException> release() {
        if (!attached) {
            return Optional.empty();
        }
        attachment.writeLock().lock();
        try {
            Optional<LoadException> failed = detach().map(DuckDbErrors::classify);
            if (failed.filter(e -> e.code() == ErrorCode.DATABASE_CORRUPT).isPresent()) {
                abandon();
            } else if (failed.isPresent()) {
                close();
            }
            return failed;
        } finally {
            attachment.writeLock().unlock();
        }
    }

    /** DETACH, which checkpoints the file and drops its lock; DuckDB's refusal (logged), if it refused. */
    private Optional<SQLException> detach() {
        try (Statement statement = connection.createStatement()) {
            // DuckDB detaches outside a transaction only; the writer's units leave auto-commit off.
            connection.setAutoCommit(true);
            statement.execute("USE memory");
            statement.execute("DETACH " + Sql.quote(alias()));
            LOG.debugf("DuckDB file %s detached", config.database().toAbsolutePath());
            return Optional.empty();
        } catch (SQLException e) {
            LOG.warnf("Detaching the DuckDB file failed, closing its DuckDB instance instead: %s", e.getMessage());
            return Optional.of(e);
        } finally {
            attached = false;
        }
    }

    /**
     * After DuckDB reported the file corrupt: lets go of it without the checkpoint a detach or a close would run, so
     * that DuckDB writes neither the file nor its WAL again (an operator restores or inspects them as they are), and
     * closes the instance. The writer attaches the file no more (issue 31).
     */
    void abandon() {
        attachment.writeLock().lock();
        try {
            if (connection != null && !connection.isClosed()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET checkpoint_on_detach = 'DISABLED'");
                }
            }
        } catch (SQLException e) {
            LOG.warnf("Could not turn off the checkpoint before letting go of the corrupt file: %s", e.getMessage());
        } finally {
            close();
            attachment.writeLock().unlock();
        }
    }

    /**
     * Closes the instance and with it the file: after a failed write (its state may be unusable) and at stop. The
     * next unit opens a new instance and attaches the file, which replays or discards its WAL.
     */
    void close() {
        attachment.writeLock().lock();
        try {
            if (attached) {
                detach();
            }
            if (connection != null) {
                connection.close();
                LOG.debugf("DuckDB file %s closed", config.database().toAbsolutePath());
            }
        } catch (SQLException e) {
            LOG.warnf("Closing the DuckDB file failed: %s", e.getMessage());
        } finally {
            connection = null;
            attachment.writeLock().unlock();
        }
    }

    /** Ends waits for the lock: at shutdown an unopened unit fails, and its request is redelivered later. */
    void stop() {
        stopping = true;
    }

    Duration totalLockWait() {
        return Duration.ofNanos(lockWaitNanos.get());
    }

    long lockWaits() {
        return lockWaits.get();
    }

    /** The in-memory instance, with the datasource's settings and duckload.duckdb.*'s bounds. */
    private DuckDBConnection openInstance() throws SQLException {
        var factory = pool.getConfiguration().connectionPoolConfiguration().connectionFactoryConfiguration();
        Properties settings = new Properties();
        settings.putAll(factory.jdbcProperties());
        settings.putAll(DuckDbConfig.connectionSettings(config.duckdb()));
        DuckDBConnection instance = (DuckDBConnection) new DuckDBDriver().connect(IN_MEMORY, settings);
        try {
            storage.checkKnown(instance);
        } catch (RuntimeException e) {
            instance.close();
            throw e;
        }
        return instance;
    }

    /**
     * The name the file is attached under: its name without extension, as DuckDB names a file it opens (so SQL of
     * checks that names the catalog keeps working), unless that is one of DuckDB's own catalogs.
     */
    String alias() {
        String name = config.database().getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return RESERVED.contains(stem.toLowerCase(Locale.ROOT)) ? "duckload_" + stem : stem;
    }

    private void attachWaitingForLock() throws SQLException, IOException {
        Path database = config.database().toAbsolutePath();
        // DuckDB takes an empty file for a new database too.
        boolean creating = !Files.exists(database) || Files.size(database) == 0;
        // The path comes from configuration (duckload.database), never from an event; quoted as a SQL string.
        String attach = "ATTACH '" + database.toString().replace("'", "''") + "' AS " + Sql.quote(alias())
                + storage.attachOptions(creating);
        Backoff backoff = config.writer().lockPolicy().backoff();
        Instant started = clock.instant();
        for (int attempt = 1;; attempt++) {
            try {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute(attach);
                    statement.execute("USE " + Sql.quote(alias()));
                }
                attached = true;
                storage.inspect(connection, alias(), creating);
                known.forget();
                if (attempt > 1) {
                    Duration waited = Duration.between(started, clock.instant());
                    lockWaitNanos.addAndGet(waited.toNanos());
                    LOG.infof("Lock on DuckDB file %s acquired after waiting %d ms (%d tries)",
                            config.database().toAbsolutePath(), waited.toMillis(), attempt);
                }
                return;
            } catch (SQLException e) {
                if (!DuckDbErrors.isLockConflict(e) || stopping) {
                    throw e;
                }
                if (attempt == 1) {
                    lockWaits.incrementAndGet();
                }
                Duration wait = backoff.next();
                LOG.infof("Waiting for the lock on DuckDB file %s (held by another process, e.g. dbt): try %d, "
                        + "waited %d ms so far, next try in %d ms: %s", config.database().toAbsolutePath(), attempt,
                        Duration.between(started, clock.instant()).toMillis(), wait.toMillis(),
                        firstLine(e.getMessage()));
                pause.sleep(wait, interrupted -> new LoadException(ErrorCode.DATABASE_UNAVAILABLE,
                        "interrupted while waiting for the file lock", interrupted));
            }
        }
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int end = text.indexOf(". However");
        return end > 0 ? text.substring(0, end) : text.lines().findFirst().orElse(text);
    }
}
