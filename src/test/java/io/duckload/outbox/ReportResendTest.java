package io.duckload.outbox;

import static io.duckload.testing.FixedJitter.HIGHEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.duckload.testing.DefaultConfig;
import io.duckload.testing.RecordingPause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A report is sent again through the pause, by the resend policy, until taken; a refusal for good ends it. */
class ReportResendTest {

    private final Report row = Report.toTopic(ReportRelay.OPENLINEAGE_KAFKA, new OutboxEvent("r-1", "runs",
            "taxi_trips/2023-01", "openlineage.COMPLETE", "taxi_trips/2023-01", "{}", Instant.EPOCH));
    private final RecordingPause pause = RecordingPause.instant(HIGHEST);
    private final Counter failed = new SimpleMeterRegistry().counter("failed");
    private final List<String> attempts = new ArrayList<>();

    @Test
    void aReportTheIntegrationDoesNotTakeFourTimesIsSentAFifthTimeAfterTheResendWaits() throws Exception {
        ReportSend send = send(report -> {
            attempts.add(report.event().eventId());
            if (attempts.size() <= 4) {
                throw new IOException("HTTP 503");
            }
        });

        send.send(row);

        assertThat(attempts).hasSize(5);
        assertThat(failed.count()).isEqualTo(4.0);
        // The highest jitter: each wait is its whole interval, 1 s doubling up to the 3 s maximum.
        assertThat(pause.millis()).containsExactly(1000L, 2000L, 3000L, 3000L);
    }

    @Test
    void aReportRefusedForGoodIsNotSentAgain() {
        ReportSend send = send(report -> {
            attempts.add(report.event().eventId());
            throw new ReportRefusedException(400, "bad run event");
        });

        assertThatThrownBy(() -> send.send(row)).isInstanceOf(ReportRefusedException.class);

        assertThat(attempts).hasSize(1);
        assertThat(pause.waits()).isEmpty();
        assertThat(failed.count()).isZero();
    }

    private ReportSend send(ReportRelay.Sender sender) {
        return new ReportSend("openlineage", sender, DefaultConfig.of(Path.of("unused.duckdb"),
                "duckload.retry.initial-backoff", "PT1S", "duckload.retry.max-backoff", "PT3S").retry().resends(),
                pause, failed);
    }
}
