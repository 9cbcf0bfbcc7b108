package io.duckload.failure;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** The waits of one thing being retried under a {@link RetryPolicy}: the interval doubles up to the maximum. */
public final class Backoff {

    private final RetryPolicy policy;
    private Duration interval;

    Backoff(RetryPolicy policy) {
        this.policy = policy;
        this.interval = policy.initialBackoff();
    }

    /** The next wait: the current interval, or with jitter between half and all of it; the interval then doubles. */
    public Duration next() {
        long millis = interval.toMillis();
        Duration wait = policy.jitter()
                ? Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1))
                : interval;
        Duration doubled = interval.multipliedBy(2);
        interval = doubled.compareTo(policy.maxBackoff()) > 0 ? policy.maxBackoff() : doubled;
        return wait;
    }
}
