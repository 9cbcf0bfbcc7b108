package io.duckload.failure;

import static io.duckload.failure.BackoffTest.waits;
import static io.duckload.testing.FixedJitter.HIGHEST;
import static io.duckload.testing.FixedJitter.LOWEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.testing.DefaultConfig;

/**
 * The waits of every retry in the service with the default settings, each policy taken from the configuration
 * exactly as its loop takes it: load retries (LoadService), the DuckDB file-lock wait (WriterFile), and the
 * resends of events (EventPublisher), dead letters (DeadLetters) and reports (ReportRelay through ReportSend).
 * Each loop's own waits, through a recording pause, are pinned by LoadServiceRetryTest, WriterFileTest,
 * EventResendTest, DeadLetterResendTest and ReportResendTest.
 */
class ServicePoliciesTest {

    private final DuckloadConfig defaults = DefaultConfig.of(Path.of("unused.duckdb"));

    @Test
    void aLoadIsTriedFourTimesWaitingAboutHalfOneAndTwoSeconds() {
        RetryPolicy loads = defaults.retry().policy();
        assertThat(waits(loads.backoff(HIGHEST), 3)).containsExactly(500L, 1000L, 2000L);
        assertThat(waits(loads.backoff(LOWEST), 3)).containsExactly(250L, 500L, 1000L);
        assertThat(loads.retries(ErrorCode.SOURCE_UNREACHABLE, 3)).isTrue();
        assertThat(loads.retries(ErrorCode.SOURCE_UNREACHABLE, 4)).as("the fourth failure is the answer").isFalse();
    }

    @Test
    void theFileLockIsWaitedForWithoutLimitFromATenthOfASecondUpToTwo() {
        RetryPolicy lock = defaults.writer().lockPolicy();
        assertThat(lock.jitter()).isFalse();
        assertThat(waits(lock.backoff(), 8)).containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L);
        assertThat(lock.retries(ErrorCode.DATABASE_UNAVAILABLE, Integer.MAX_VALUE - 1)).isTrue();
    }

    @Test
    void eventsDeadLettersAndReportsAreResentWithoutLimitUpToThirtySecondsApart() {
        RetryPolicy resends = defaults.retry().resends();
        assertThat(waits(resends.backoff(HIGHEST), 9))
                .containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
        assertThat(waits(resends.backoff(LOWEST), 7))
                .containsExactly(250L, 500L, 1000L, 2000L, 4000L, 8000L, 15000L);
        assertThat(resends.retries(ErrorCode.SOURCE_UNREACHABLE, Integer.MAX_VALUE - 1)).isTrue();
    }

    @Test
    void theSettingsChangeTheWaits() {
        DuckloadConfig tuned = DefaultConfig.of(Path.of("unused.duckdb"), "duckload.retry.initial-backoff", "PT1S",
                "duckload.retry.max-backoff", "PT3S", "duckload.writer.lock-initial-backoff", "PT0.05S",
                "duckload.writer.lock-max-backoff", "PT0.15S");
        assertThat(waits(tuned.retry().resends().backoff(HIGHEST), 4)).containsExactly(1000L, 2000L, 3000L, 3000L);
        assertThat(waits(tuned.writer().lockPolicy().backoff(), 4)).containsExactly(50L, 100L, 150L, 150L);
    }
}
