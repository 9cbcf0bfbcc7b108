package io.duckload.warehouse;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;

/**
 * When the idle writer hands the file over (hold-file=while-busy): after the release linger, once nothing is queued
 * and every committed event was sent. Runs on the writer thread. A file DuckDB reported corrupt is let go of without
 * the checkpoint a release runs (issue 31).
 */
final class Release {

    private static final Logger LOG = Logger.getLogger(Release.class);

    private final WriterFile file;
    private final Handoff handoff;
    private final FileHealth health;
    private final DuckloadConfig config;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean recheckScheduled = new AtomicBoolean();
    private final AtomicBoolean lingerScheduled = new AtomicBoolean();
    /** Units of work started since start: a release scheduled after the linger is off if another one began. */
    private final AtomicLong units = new AtomicLong();

    Release(WriterFile file, Handoff handoff, FileHealth health, DuckloadConfig config,
            ScheduledExecutorService executor) {
        this.file = file;
        this.handoff = handoff;
        this.health = health;
        this.config = config;
        this.executor = executor;
    }

    void unitStarted() {
        units.incrementAndGet();
    }

    /**
     * On the writer thread: closes the file when nothing is queued and every committed event was sent, after the
     * release linger (so that a stream of requests does not pay a close and an open for each).
     */
    void ifIdleNow() {
        if (handoff.mayRelease()) {
            if (!file.isOpen()) {
                return;
            }
            Duration linger = config.writer().releaseLinger();
            if (linger.isZero()) {
                release();
            } else if (lingerScheduled.compareAndSet(false, true)) {
                long generation = units.get();
                executor.schedule(() -> {
                    lingerScheduled.set(false);
                    if (units.get() == generation && handoff.mayRelease()) {
                        release();
                    } else {
                        ifIdleNow();
                    }
                }, linger.toMillis(), TimeUnit.MILLISECONDS);
            }
        } else if (handoff.waitingForSends() && recheckScheduled.compareAndSet(false, true)) {
            executor.schedule(() -> {
                recheckScheduled.set(false);
                ifIdleNow();
            }, handoff.sendGrace().toMillis() + 100, TimeUnit.MILLISECONDS);
        }
    }

    private void release() {
        if (health.corrupt().isPresent()) {
            file.abandon();
        } else if (file.isOpen()) {
            file.release().ifPresent(health::failed);
            LOG.debugf("DuckDB file %s released: the writer is idle", config.database().toAbsolutePath());
        }
    }
}
