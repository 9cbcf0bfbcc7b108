package io.duckload.failure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * How every retry loop of the service waits between two tries: {@link #real()} sleeps, a test's pause records the
 * waits and returns at once. A {@link Backoff} says how long (its jitter drawn from {@link #jitter()}); a pause waits
 * that long.
 */
public interface Pause {

    /** Blocks the calling thread for {@code wait}. */
    void sleep(Duration wait) throws InterruptedException;

    /** Runs tasks once {@code wait} has passed, without blocking the caller (an asynchronous retry). */
    Executor after(Duration wait);

    /**
     * Where a loop's {@link Backoff} draws its jitter: the calling thread's random generator in the service, fixed
     * draws in a test, so that each wait a loop asks for is known exactly.
     */
    default RandomGenerator jitter() {
        return Backoff.THREAD_LOCAL;
    }

    /** Blocks for {@code wait}; interrupted, keeps the thread's flag and throws what {@code interrupted} makes. */
    default void sleep(Duration wait, Function<InterruptedException, RuntimeException> interrupted) {
        try {
            sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted.apply(e);
        }
    }

    /** The pause of the running service: the thread sleeps, a delayed task runs on the common pool. */
    static Pause real() {
        return Real.INSTANCE;
    }

    /** The real pause, a singleton. */
    enum Real implements Pause {
        INSTANCE;

        @Override
        public void sleep(Duration wait) throws InterruptedException {
            TimeUnit.MILLISECONDS.sleep(wait.toMillis());
        }

        @Override
        public Executor after(Duration wait) {
            return CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
