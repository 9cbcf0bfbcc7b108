package io.duckload.outbox;

import static io.duckload.testing.FixedJitter.HIGHEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.duckload.testing.DefaultConfig;
import io.duckload.testing.NackingEmitter;
import io.duckload.testing.RecordingPause;

/** EventPublisher's resend loop waits through the pause, by the resend policy, until the broker takes the event. */
class EventResendTest {

    @Test
    void anEventRefusedFiveTimesIsSentASixthTimeAfterTheResendWaits() {
        NackingEmitter broker = new NackingEmitter(5);
        RecordingPause pause = RecordingPause.instant(HIGHEST);
        EventPublisher publisher = new EventPublisher(broker, DefaultConfig.of(Path.of("unused.duckdb"),
                "duckload.retry.initial-backoff", "PT0.2S", "duckload.retry.max-backoff", "PT1S"), pause);
        OutboxEvent event = new OutboxEvent("e-1", "partition-materialized", "taxi_trips/2023-01",
                "io.duckload.PartitionMaterialized", "taxi_trips/2023-01", "{}", Instant.EPOCH);

        assertThat(publisher.deliver(event)).as("attempts").isEqualTo(6);

        assertThat(broker.sent()).hasSize(6).containsOnly("{}");
        // The highest jitter: each wait is its whole interval, 200 ms doubling up to the 1 s maximum.
        assertThat(pause.millis()).containsExactly(200L, 400L, 800L, 1000L, 1000L);
    }
}
