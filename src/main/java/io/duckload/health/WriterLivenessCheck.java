package io.duckload.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.warehouse.Writer;

/** Live unless the single writer has been inside one unit of work for longer than {@code stuck-after}. */
@Liveness
@ApplicationScoped
public class WriterLivenessCheck implements HealthCheck {

    private final DuckloadConfig config;
    private final Writer writer;

    public WriterLivenessCheck(DuckloadConfig config, Writer writer) {
        this.config = config;
        this.writer = writer;
    }

    @Override
    public HealthCheckResponse call() {
        Duration busy = writer.busyFor().orElse(Duration.ZERO);
        boolean stuck = busy.compareTo(config.writer().stuckAfter()) > 0;
        return HealthCheckResponse.named("duckdb-writer").withData("busyMs", busy.toMillis())
                .withData("stuckAfterMs", config.writer().stuckAfter().toMillis()).status(!stuck).build();
    }
}
