package io.duckload.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.duckload.catalog.WriterConfig.HoldFile;

/** When the writer may hand the file over, on a clock the test steps instead of waiting for it. */
class HandoffTest {

    private static final Duration GRACE = Duration.ofSeconds(5);

    private final SteppedClock clock = new SteppedClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Handoff busy = new Handoff(HoldFile.WHILE_BUSY, GRACE, clock);

    @Test
    void aFileHeldAlwaysIsNeverReleased() {
        Handoff always = new Handoff(HoldFile.ALWAYS, GRACE, clock);

        assertThat(always.mayRelease()).isFalse();
        always.awaitSend(List.of(eventId()));
        assertThat(always.waitingForSends()).isFalse();
    }

    @Test
    void anIdleWriterWithNothingUnsentReleases() {
        assertThat(busy.mayRelease()).isTrue();
        assertThat(busy.waitingForSends()).isFalse();
    }

    @Test
    void queuedWorkKeepsTheFileUntilItHasStarted() {
        busy.submitted();
        busy.submitted();
        assertThat(busy.mayRelease()).isFalse();

        busy.started();
        assertThat(busy.mayRelease()).isFalse();

        busy.started();
        assertThat(busy.mayRelease()).isTrue();
    }

    @Test
    void theFileIsKeptUntilEveryEventOfTheLoadWasSent() {
        String first = eventId();
        String second = eventId();
        busy.awaitSend(List.of(first, second));
        assertThat(busy.mayRelease()).isFalse();
        assertThat(busy.waitingForSends()).isTrue();

        busy.sent(first);
        assertThat(busy.mayRelease()).isFalse();

        busy.sent(second);
        assertThat(busy.mayRelease()).isTrue();
        assertThat(busy.waitingForSends()).isFalse();
    }

    @Test
    void anUnsentEventStopsCountingOnceTheSendGraceIsOver() {
        busy.awaitSend(List.of(eventId()));

        clock.step(GRACE);
        assertThat(busy.mayRelease()).as("at the grace exactly").isFalse();

        clock.step(Duration.ofMillis(1));
        assertThat(busy.mayRelease()).isTrue();
        assertThat(busy.waitingForSends()).as("the stale send was dropped").isFalse();
    }

    @Test
    void theGraceIsCountedForEachEventFromWhenItWasAwaited() {
        busy.awaitSend(List.of(eventId()));
        clock.step(GRACE.minusSeconds(1));
        busy.awaitSend(List.of(eventId()));

        clock.step(Duration.ofSeconds(2));
        assertThat(busy.mayRelease()).as("the later event is still within its grace").isFalse();

        clock.step(GRACE);
        assertThat(busy.mayRelease()).isTrue();
    }

    @Test
    void queuedWorkKeepsTheFileEvenWhenEverySendIsStale() {
        busy.awaitSend(List.of(eventId()));
        busy.submitted();
        clock.step(GRACE.multipliedBy(2));

        assertThat(busy.mayRelease()).isFalse();
    }

    private static String eventId() {
        return "event-" + UUID.randomUUID();
    }

    /** A clock that moves only when told to. */
    private static final class SteppedClock extends Clock {
        private Instant now;

        SteppedClock(Instant start) {
            this.now = start;
        }

        void step(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
