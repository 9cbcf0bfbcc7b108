package io.duckload.failure;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The waits of one thing being retried under a {@link RetryPolicy}: the interval doubles up to the maximum. It only
 * computes; a {@link Pause} waits.
 */
public final class Backoff {

    /** The jitter of the running service: each draw from the calling thread's own generator. */
    static final RandomGenerator THREAD_LOCAL = () -> ThreadLocalRandom.current().nextLong();

    private final RetryPolicy policy;
    private final RandomGenerator jitter;
    private Duration interval;

    Backoff(RetryPolicy policy, RandomGenerator jitter) {
        this.policy = policy;
        this.jitter = jitter;
        this.interval = policy.initialBackoff();
    }

    /** The next wait: the current interval, or with jitter between half and all of it; the interval then doubles. */
    public Duration next() {
        long millis = interval.toMillis();
        Duration wait = policy.jitter()
                ? Duration.ofMillis(millis / 2 + jitter.nextLong(millis / 2 + 1))
                : interval;
        Duration doubled = interval.multipliedBy(2);
        interval = doubled.compareTo(policy.maxBackoff()) > 0 ? policy.maxBackoff() : doubled;
        return wait;
    }
}
