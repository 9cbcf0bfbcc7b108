package io.duckload.warehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalDataSource.FlushMode;
import io.duckload.catalog.DuckDbConfig;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.failure.Backoff;
import io.duckload.failure.DuckDbErrors;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/**
 * The writer's own connection to the DuckDB file, used by the writer thread only. It is opened outside the Agroal
 * pool so that closing it is synchronous: once {@link #close()} returned, DuckDB has checkpointed and released the
 * file lock (provided no pooled reader connection keeps the in-process database alive; those are flushed too).
 */
final class WriterFile {

    private static final Logger LOG = Logger.getLogger(WriterFile.class);

    private final AgroalDataSource pool;
    private final DuckloadConfig config;
    private final AtomicLong lockWaitNanos = new AtomicLong();
    private final AtomicLong lockWaits = new AtomicLong();
    private final BooleanSupplier onWriterThread;
    private volatile boolean stopping;
    private Connection connection;

    WriterFile(AgroalDataSource pool, DuckloadConfig config, BooleanSupplier onWriterThread) {
        this.pool = pool;
        this.config = config;
        this.onWriterThread = onWriterThread;
    }

    /** The open connection, opening the file first if needed; waits without limit while another process holds it. */
    Connection get() throws SQLException, IOException {
        if (!onWriterThread.getAsBoolean()) {
            // Two threads on one DuckDB connection would interleave transactions: a bug, not a condition to handle.
            throw new IllegalStateException("the DuckDB file's connection was asked for on thread "
                    + Thread.currentThread().getName() + ", not on the writer thread");
        }
        if (connection == null || connection.isClosed()) {
            Path parent = config.database().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            connection = openWaitingForLock();
        }
        return connection;
    }

    boolean isOpen() {
        return connection != null;
    }

    /** Closes the writer's connection and the pool's idle ones, so that another process can open the file. */
    void close() {
        // GRACEFUL: idle pooled connections now, a reader's busy one when it is returned.
        pool.flush(FlushMode.GRACEFUL);
        if (connection != null) {
            try {
                connection.close();
                LOG.debugf("DuckDB file %s closed", config.database().toAbsolutePath());
            } catch (SQLException e) {
                LOG.warnf("Closing the DuckDB file failed: %s", e.getMessage());
            }
            connection = null;
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

    private Connection openWaitingForLock() throws SQLException {
        var factory = pool.getConfiguration().connectionPoolConfiguration().connectionFactoryConfiguration();
        Properties settings = new Properties();
        // The pool's settings: DuckDB refuses a second in-process connection with different ones. The pool gets
        // memory_limit and threads from duckload.duckdb.* too (application.properties); these are the same values.
        settings.putAll(factory.jdbcProperties());
        settings.putAll(DuckDbConfig.connectionSettings(config.duckdb()));
        Backoff backoff = config.writer().lockPolicy().backoff();
        long started = System.nanoTime();
        for (int attempt = 1;; attempt++) {
            try {
                Connection opened = new org.duckdb.DuckDBDriver().connect(factory.jdbcUrl(), settings);
                if (attempt > 1) {
                    long waited = System.nanoTime() - started;
                    lockWaitNanos.addAndGet(waited);
                    LOG.infof("Lock on DuckDB file %s acquired after waiting %d ms (%d tries)",
                            config.database().toAbsolutePath(), TimeUnit.NANOSECONDS.toMillis(waited), attempt);
                }
                return opened;
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
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), wait.toMillis(),
                        firstLine(e.getMessage()));
                sleep(wait);
            }
        }
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int end = text.indexOf(". However");
        return end > 0 ? text.substring(0, end) : text.lines().findFirst().orElse(text);
    }

    private static void sleep(Duration wait) {
        try {
            TimeUnit.MILLISECONDS.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException(ErrorCode.DATABASE_UNAVAILABLE, "interrupted while waiting for the file lock", e);
        }
    }
}
