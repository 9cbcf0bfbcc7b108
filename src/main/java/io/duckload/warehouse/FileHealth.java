package io.duckload.warehouse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/**
 * Whether the DuckDB file can be written, as the writer last found it: a unit of work that failed with a database
 * code (full disk, read-only, cannot open) makes it unwritable until a unit succeeds. While unwritable for a reason
 * waiting can cure (full, read-only), a probe — write, sync and remove a small file beside the database, at most
 * every few seconds — notices when the condition cleared, without opening the database file (which would take its
 * lock from dbt). A corrupt file stays corrupt until an operator restored it and restarted duckload: nothing clears
 * {@code DATABASE_CORRUPT} (issue 31).
 */
final class FileHealth {

    private static final Logger LOG = Logger.getLogger(FileHealth.class);
    static final int PROBE_BYTES = 1 << 20;
    static final Duration PROBE_EVERY = Duration.ofSeconds(5);

    private final Path database;
    private final Clock clock;
    private volatile Problem problem;
    private volatile Instant lastProbe = Instant.MIN;

    FileHealth(Path database, Clock clock) {
        this.database = database.toAbsolutePath();
        this.clock = clock;
    }

    /** What keeps the file from being written, if anything; probes first when the problem may have cleared. */
    Optional<Problem> problem() {
        Problem current = problem;
        if (current != null && current.code().isTransient() && current.code() != ErrorCode.DATABASE_UNAVAILABLE) {
            Instant now = clock.instant();
            if (Duration.between(lastProbe, now).compareTo(PROBE_EVERY) >= 0) {
                lastProbe = now;
                if (probe()) {
                    LOG.infof("The disk under DuckDB file %s takes writes again (was %s)", database, current.code());
                    problem = null;
                }
            }
        }
        return Optional.ofNullable(problem);
    }

    void failed(LoadException e) {
        if (!e.code().isDatabase() || corrupt().isPresent()) {
            return;
        }
        if (e.code() == ErrorCode.DATABASE_CORRUPT) {
            LOG.errorf("DATABASE_CORRUPT: DuckDB reports the DuckDB file %s corrupt (%s). duckload stops writing and "
                    + "announcing loads and leaves the file and its WAL as they are: restore the file, then restart "
                    + "(docs/duckdb-file.md)", database, e.getMessage());
        } else if (problem == null || problem.code() != e.code()) {
            LOG.errorf("DuckDB file %s cannot be written: %s %s", database, e.code(), e.getMessage());
        }
        problem = new Problem(e.code(), e.getMessage(), clock.instant());
    }

    /** The corruption DuckDB reported, if it did since start: it never clears while the service runs. */
    Optional<Problem> corrupt() {
        Problem current = problem;
        return current != null && current.code() == ErrorCode.DATABASE_CORRUPT ? Optional.of(current)
                : Optional.empty();
    }

    void succeeded() {
        if (problem != null && corrupt().isEmpty()) {
            LOG.infof("DuckDB file %s is writable again", database);
            problem = null;
        }
    }

    private boolean probe() {
        Path probe = database.resolveSibling("." + database.getFileName() + ".duckload-probe");
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer zeros = ByteBuffer.allocate(PROBE_BYTES);
            while (zeros.hasRemaining()) {
                channel.write(zeros);
            }
            channel.force(true);
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                LOG.debugf("Could not remove probe file %s: %s", probe, e.getMessage());
            }
        }
    }

    /** Why the file cannot be written: the failure's code and message, and when it was seen. */
    record Problem(ErrorCode code, String message, Instant since) {
    }
}
