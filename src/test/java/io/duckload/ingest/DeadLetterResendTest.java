package io.duckload.ingest;

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
        RecordingPause pause = RecordingPause.instant();
        DeadLetters letters = new DeadLetters(broker, DefaultConfig.of(Path.of("unused.duckdb"),
                "duckload.retry.initial-backoff", "PT2S", "duckload.retry.max-backoff", "PT4S"), pause);

        letters.send(Message.of("not a request"), "not JSON").get(10, TimeUnit.SECONDS);

        assertThat(broker.sent()).containsExactly("not a request", "not a request", "not a request",
                "not a request");
        assertThat(pause.millis()).hasSize(3);
        long[] intervals = {2000, 4000, 4000};
        for (int i = 0; i < intervals.length; i++) {
            assertThat(pause.millis().get(i)).as("wait %d", i + 1).isBetween(intervals[i] / 2, intervals[i]);
        }
    }
}
