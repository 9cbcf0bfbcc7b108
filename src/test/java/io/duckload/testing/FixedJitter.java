package io.duckload.testing;

import java.util.function.LongUnaryOperator;
import java.util.random.RandomGenerator;

/** Jitter draws a test fixes, so that every wait of a jittered backoff is known exactly. */
public final class FixedJitter {

    /** Draws the top of every jitter range: each wait is the whole interval. */
    public static final RandomGenerator HIGHEST = bounded(bound -> bound - 1);
    /** Draws the bottom of every jitter range: each wait is half the interval. */
    public static final RandomGenerator LOWEST = bounded(bound -> 0);

    private FixedJitter() {
    }

    /** A generator whose bounded draws are {@code draw(bound)}; an unbounded draw fails the test. */
    public static RandomGenerator bounded(LongUnaryOperator draw) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new AssertionError("only bounded draws are expected");
            }

            @Override
            public long nextLong(long bound) {
                return draw.applyAsLong(bound);
            }
        };
    }
}
