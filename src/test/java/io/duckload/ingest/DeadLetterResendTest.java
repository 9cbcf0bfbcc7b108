package io.duckload.ingest;

import static io.duckload.testing.FixedJitter.LOWEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.duckload.testing.DefaultConfig;
import io.duckload.testing.NackingEmitter;
import io.duckload.testing.RecordingPause;

/** DeadLetters resends asynchronously through the pause, by the resend policy, until the broker takes the letter. */
class DeadLetterResendTest {

    @Test
    void aDeadLetterRefusedThreeTimesIsSentAFourthTimeAfterTheResendWaits() throws Exception {
        NackingEmitter broker = new NackingEmitter(3);
        RecordingPause pause = RecordingPause.instant(LOWEST);
        DeadLetters letters = new DeadLetters(broker, DefaultConfig.of(Path.of("unused.duckdb"),
                "duckload.retry.initial-backoff", "PT2S", "duckload.retry.max-backoff", "PT4S"), pause);

        letters.send(Message.of("not a request"), "not JSON").get(10, TimeUnit.SECONDS);

        assertThat(broker.sent()).containsExactly("not a request", "not a request", "not a request",
                "not a request");
        // The lowest jitter: each wait is half its interval of 2 s doubling up to the 4 s maximum.
        assertThat(pause.millis()).containsExactly(1000L, 2000L, 2000L);
    }
}
