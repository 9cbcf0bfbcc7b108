package io.duckload.failure;

import static io.duckload.testing.FixedJitter.HIGHEST;
import static io.duckload.testing.FixedJitter.LOWEST;
import static io.duckload.testing.FixedJitter.bounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The waits a {@link Backoff} computes: doubling to the maximum, with jitter drawn through the seam. */
class BackoffTest {

    @Test
    void withoutJitterTheWaitIsTheIntervalDoublingUpToTheMaximum() {
        RetryPolicy policy = RetryPolicy.of(1, Duration.ofMillis(100), Duration.ofMillis(2000)).withoutJitter();
        assertThat(waits(policy.backoff(), 8)).containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L);
    }

    @Test
    void withoutJitterTheGeneratorIsNotAsked() {
        RandomGenerator refusing = () -> {
            throw new AssertionError("a policy without jitter drew a number");
        };
        RetryPolicy policy = RetryPolicy.of(3, Duration.ofMillis(300), Duration.ofSeconds(1)).withoutJitter();
        assertThat(waits(policy.backoff(refusing), 4)).containsExactly(300L, 600L, 1000L, 1000L);
    }

    @Test
    void jitterDrawsEachWaitFromTheUpperHalfOfTheInterval() {
        RetryPolicy policy = RetryPolicy.of(4, Duration.ofMillis(500), Duration.ofSeconds(3));
        assertThat(waits(policy.backoff(HIGHEST), 5)).containsExactly(500L, 1000L, 2000L, 3000L, 3000L);
        assertThat(waits(policy.backoff(LOWEST), 5)).containsExactly(250L, 500L, 1000L, 1500L, 1500L);
    }

    @Test
    void jitterDrawsFromHalfTheIntervalPlusOneSoBothEndsCanBeWaited() {
        List<Long> bounds = new ArrayList<>();
        RandomGenerator recording = bounded(bound -> {
            bounds.add(bound);
            return 7;
        });
        RetryPolicy policy = RetryPolicy.of(4, Duration.ofMillis(100), Duration.ofMillis(400));
        assertThat(waits(policy.backoff(recording), 4)).containsExactly(57L, 107L, 207L, 207L);
        assertThat(bounds).containsExactly(51L, 101L, 201L, 201L);
    }

    @Test
    void eachBackoffStartsAgainAtTheInitialInterval() {
        RetryPolicy policy = RetryPolicy.of(2, Duration.ofMillis(100), Duration.ofSeconds(1)).withoutJitter();
        Backoff first = policy.backoff();
        waits(first, 3);
        assertThat(waits(policy.backoff(), 2)).containsExactly(100L, 200L);
    }

    @Test
    void theDefaultJitterStaysWithinTheInterval() {
        RetryPolicy policy = RetryPolicy.of(4, Duration.ofMillis(1000), Duration.ofMillis(1000));
        Backoff backoff = policy.backoff();
        Stream.generate(backoff::next).limit(200).map(Duration::toMillis)
                .forEach(wait -> assertThat(wait).isBetween(500L, 1000L));
    }

    @Test
    void retriesOnlyTransientFailuresWhileAttemptsRemain() {
        RetryPolicy policy = RetryPolicy.of(4, Duration.ofMillis(500), Duration.ofSeconds(30));
        assertThat(policy.retries(ErrorCode.SOURCE_UNREACHABLE, 3)).isTrue();
        assertThat(policy.retries(ErrorCode.SOURCE_UNREACHABLE, 4)).isFalse();
        assertThat(policy.retries(ErrorCode.SOURCE_NOT_FOUND, 1)).isFalse();
        assertThat(policy.unbounded().retries(ErrorCode.SOURCE_UNREACHABLE, 1_000_000)).isTrue();
    }

    @Test
    void aPolicyNeedsAPositiveIntervalNoLargerThanItsMaximum() {
        assertThatThrownBy(() -> RetryPolicy.of(1, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.of(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.of(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The next {@code count} waits of {@code backoff}, in milliseconds. */
    static List<Long> waits(Backoff backoff, int count) {
        return Stream.generate(backoff::next).limit(count).map(Duration::toMillis).toList();
    }
}
