package io.duckload.warehouse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.duckload.catalog.WriterConfig.HoldFile;

/**
 * Decides when the writer hands the DuckDB file over to other processes (hold-file=while-busy): when no unit of
 * work is queued and every event of a committed load has been sent. Waiting for the sends keeps the file from
 * being closed between the commit and the send and reopened for marking the event sent, just when the dbt run
 * the event triggered tries to open it.
 */
final class Handoff {

    private final HoldFile mode;
    private final Duration sendGrace;
    private final Clock clock;
    private final AtomicInteger queued = new AtomicInteger();
    private final Map<String, Instant> unsent = new ConcurrentHashMap<>();

    /** With the clock the send grace is measured on, so tests can step it. */
    Handoff(HoldFile mode, Duration sendGrace, Clock clock) {
        this.mode = mode;
        this.sendGrace = sendGrace;
        this.clock = clock;
    }

    void submitted() {
        queued.incrementAndGet();
    }

    void started() {
        queued.decrementAndGet();
    }

    /** Events that are about to be sent and then marked sent. */
    void awaitSend(Collection<String> eventIds) {
        Instant now = clock.instant();
        eventIds.forEach(id -> unsent.put(id, now));
    }

    void sent(String eventId) {
        unsent.remove(eventId);
    }

    /**
     * Whether the file may be closed now. Sends waited for longer than the grace no longer count: a broker that is
     * down must not keep dbt out of the file.
     */
    boolean mayRelease() {
        if (mode == HoldFile.ALWAYS || queued.get() > 0) {
            return false;
        }
        Instant stale = clock.instant().minus(sendGrace);
        unsent.values().removeIf(since -> since.isBefore(stale));
        return unsent.isEmpty();
    }

    /** Whether the file is handed over after the unit running now: while-busy, and no other unit queued. */
    boolean handsOverNext() {
        return mode == HoldFile.WHILE_BUSY && queued.get() == 0;
    }

    /** Whether a release depends on sends still outstanding (so it should be checked again later). */
    boolean waitingForSends() {
        return mode == HoldFile.WHILE_BUSY && !unsent.isEmpty();
    }

    Duration sendGrace() {
        return sendGrace;
    }
}
