package io.duckload.failure;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The one retry policy of the service: bounded attempts with exponential backoff and jitter. Request retries,
 * event resends, dead-letter resends and waits for the DuckDB file lock are all built from it.
 *
 * @param maxAttempts attempts before a transient failure is reported ({@code Integer.MAX_VALUE}: no limit)
 * @param initialBackoff the first interval; each wait lies between half and all of the current interval
 * @param maxBackoff the interval stops doubling here
 * @param jitter whether a wait is drawn from the upper half of the interval (true) or is the interval itself
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, boolean jitter) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 < initialBackoff <= maxBackoff, got " + initialBackoff + " and "
                    + maxBackoff);
        }
    }

    /** Bounded attempts with jitter. */
    public static RetryPolicy of(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, true);
    }

    /** The same intervals without an attempt limit: for work that must not be dropped (an event to send). */
    public RetryPolicy unbounded() {
        return new RetryPolicy(Integer.MAX_VALUE, initialBackoff, maxBackoff, jitter);
    }

    /** The same policy with waits of exactly the interval (a lock wait measured in a log line). */
    public RetryPolicy withoutJitter() {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, false);
    }

    /** Whether a failure with {@code code} after {@code attempts} attempts may be tried again. */
    public boolean retries(ErrorCode code, int attempts) {
        return code.isTransient() && attempts < maxAttempts;
    }

    /** A fresh sequence of waits: one per thing being retried. */
    public Backoff backoff() {
        return backoff(Backoff.THREAD_LOCAL);
    }

    /** A fresh sequence of waits whose jitter is drawn from {@code jitter} (a test's fixed draws). */
    public Backoff backoff(RandomGenerator jitter) {
        return new Backoff(this, jitter);
    }
}
