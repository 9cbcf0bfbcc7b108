package io.duckload.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

import io.duckload.failure.Pause;

/**
 * A pause that records every wait a retry loop asks for, then waits for real ({@link #real}) or not at all; the
 * loop's jitter is drawn from the generator the test gives ({@link FixedJitter}), or at random.
 */
public final class RecordingPause implements Pause {

    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final boolean real;
    private final RandomGenerator jitter;
    private volatile Runnable onSleep = () -> { };

    private RecordingPause(boolean real, RandomGenerator jitter) {
        this.real = real;
        this.jitter = jitter;
    }

    /** Records and returns at once: a loop's retries run back to back; its jitter is random. */
    public static RecordingPause instant() {
        return instant(Pause.real().jitter());
    }

    /** Records and returns at once, the loop's jitter drawn from {@code jitter}: each wait is known. */
    public static RecordingPause instant(RandomGenerator jitter) {
        return new RecordingPause(false, jitter);
    }

    /** Records and then waits as the service would (for a loop that waits on another process). */
    public static RecordingPause real() {
        return new RecordingPause(true, Pause.real().jitter());
    }

    /** Runs {@code action} at each blocking wait, after recording it (what changes while the loop waits). */
    public RecordingPause onSleep(Runnable action) {
        this.onSleep = action;
        return this;
    }

    @Override
    public void sleep(Duration wait) throws InterruptedException {
        waits.add(wait);
        onSleep.run();
        if (real) {
            Pause.real().sleep(wait);
        }
    }

    @Override
    public Executor after(Duration wait) {
        waits.add(wait);
        return real ? Pause.real().after(wait) : Runnable::run;
    }

    @Override
    public RandomGenerator jitter() {
        return jitter;
    }

    /** A clock that stands still but for this pause's waits: it reads the epoch plus every wait so far. */
    public Clock clock() {
        return new Clock() {
            @Override
            public Instant instant() {
                return waits.stream().reduce(Instant.EPOCH, Instant::plus, (a, b) -> b);
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("a test clock in UTC only");
            }
        };
    }

    /** The waits asked for so far, in order. */
    public List<Duration> waits() {
        return List.copyOf(waits);
    }

    /** The waits asked for so far, in milliseconds. */
    public List<Long> millis() {
        return waits.stream().map(Duration::toMillis).toList();
    }
}
