package io.duckload.ingest;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.duckload.catalog.DuckloadConfig;

/** Exponential backoff with jitter, from {@code duckload.retry}: one instance per thing being retried. */
public final class Backoff {

    private final Duration max;
    private Duration interval;

    public Backoff(DuckloadConfig.Retry retry) {
        this.interval = retry.initialBackoff();
        this.max = retry.maxBackoff();
    }

    /** The next wait, between half and all of the current interval; the interval then doubles, up to the maximum. */
    public Duration next() {
        long millis = interval.toMillis();
        Duration wait = Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        Duration doubled = interval.multipliedBy(2);
        interval = doubled.compareTo(max) > 0 ? max : doubled;
        return wait;
    }
}
