package io.duckload.outbox;

import java.io.IOException;
import java.time.Duration;

import org.jboss.logging.Logger;

import io.duckload.failure.Backoff;
import io.duckload.failure.Pause;
import io.duckload.failure.RetryPolicy;
import io.micrometer.core.instrument.Counter;

/**
 * Sends one report row to its integration, trying again through the pause with the resend policy (no attempt
 * limit) while the integration is down or answers with something a retry may change; a refusal for good
 * ({@link ReportRefusedException}) ends it, for the relay to park the row.
 */
final class ReportSend {

    private static final Logger LOG = Logger.getLogger(ReportRelay.class);

    private final String destination;
    private final ReportRelay.Sender sender;
    private final RetryPolicy policy;
    private final Pause pause;
    private final Counter failed;

    ReportSend(String destination, ReportRelay.Sender sender, RetryPolicy policy, Pause pause, Counter failed) {
        this.destination = destination;
        this.sender = sender;
        this.policy = policy;
        this.pause = pause;
        this.failed = failed;
    }

    /** Returns once the integration took {@code report}; throws when it refused it for good. */
    void send(Report report) throws ReportRefusedException, InterruptedException {
        Backoff backoff = policy.backoff(pause.jitter());
        for (int attempt = 1;; attempt++) {
            try {
                sender.send(report);
                return;
            } catch (ReportRefusedException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                failed.increment();
                Duration wait = backoff.next();
                LOG.warnf("%s report %s of %s not accepted (attempt %d), retrying in %d ms: %s", destination,
                        report.event().eventId(), report.event().subject(), attempt, wait.toMillis(), e.toString());
                pause.sleep(wait);
            }
        }
    }
}
