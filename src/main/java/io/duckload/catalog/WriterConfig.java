package io.duckload.catalog;

import java.time.Duration;

import io.duckload.failure.RetryPolicy;
import io.smallrye.config.WithDefault;

/** Settings of the single DuckDB writer. */
public interface WriterConfig {
    /** A load running longer than this makes liveness DOWN: the writer is considered stuck. */
    @WithDefault("PT30M")
    Duration stuckAfter();

    /**
     * When the writer holds the DuckDB file: {@code while-busy} closes it whenever no work is queued and every
     * event of a committed load was sent, so dbt (or any other process) can open it; {@code always} keeps it
     * open, and locked, from start to stop.
     */
    @WithDefault("while-busy")
    HoldFile holdFile();

    /** First wait before trying again to open a file another process holds; doubled up to the maximum. */
    @WithDefault("PT0.1S")
    Duration lockInitialBackoff();

    /** Longest wait between two tries to open a file another process holds. There is no limit of tries. */
    @WithDefault("PT2S")
    Duration lockMaxBackoff();

    /** Waiting for another process's lock: no limit of tries, waits as configured (no jitter). */
    default RetryPolicy lockPolicy() {
        return RetryPolicy.of(1, lockInitialBackoff(), lockMaxBackoff()).unbounded().withoutJitter();
    }

    /**
     * With hold-file=while-busy, how long the idle writer keeps the file before releasing it, so that requests
     * arriving back to back do not each pay a close (checkpoint) and an open; 0 releases at once.
     */
    @WithDefault("PT0.1S")
    Duration releaseLinger();

    /**
     * Loads staged while the writer is busy are committed together in one transaction (each still with its own
     * ledger and outbox rows); false commits every load on its own.
     */
    @WithDefault("true")
    boolean groupCommit();

    /**
     * Most bytes of sources one group commit takes (its first load is taken whatever its size): small loads group,
     * a big one commits alone and is not held back behind others.
     */
    @WithDefault("67108864")
    long groupMaxBytes();

    /**
     * Longest time the file stays open after a commit for the send of its events; past it the file is
     * released even if the broker has not acknowledged them yet.
     */
    @WithDefault("PT30S")
    Duration sendGrace();

    /**
     * With hold-file=while-busy: the file is checkpointed after a load's commit and before its events are sent when
     * no other unit is queued, so an announced load is in the file itself and a corrupt file fails the load instead
     * of being announced (docs/duckdb-file.md); false sends first and checkpoints at the release, as before.
     */
    @WithDefault("true")
    boolean checkpointBeforeAnnounce();

    /** When the writer holds the DuckDB file open (and so locked against other processes). */
    enum HoldFile {
        /** From start to stop; no other process can open the file meanwhile. */
        ALWAYS,
        /** Only while there is work; between loads the file is closed and any process may open it. */
        WHILE_BUSY
    }
}
