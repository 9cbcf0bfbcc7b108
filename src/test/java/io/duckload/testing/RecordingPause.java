package io.duckload.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import io.duckload.failure.Pause;

/** A pause that records every wait a retry loop asks for, then waits for real ({@link #real}) or not at all. */
public final class RecordingPause implements Pause {

    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final boolean real;

    private RecordingPause(boolean real) {
        this.real = real;
    }

    /** Records and returns at once: a loop's retries run back to back. */
    public static RecordingPause instant() {
        return new RecordingPause(false);
    }

    /** Records and then waits as the service would (for a loop that waits on another process). */
    public static RecordingPause real() {
        return new RecordingPause(true);
    }

    @Override
    public void sleep(Duration wait) throws InterruptedException {
        waits.add(wait);
        if (real) {
            Pause.real().sleep(wait);
        }
    }

    @Override
    public Executor after(Duration wait) {
        waits.add(wait);
        return real ? Pause.real().after(wait) : Runnable::run;
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
