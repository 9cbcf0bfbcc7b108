package io.duckload.health;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.warehouse.Writer;

/**
 * Ready while the DuckDB file can be written: its directory is writable and the writer's last unit of work did not
 * fail for a reason of the file (full disk, read-only, corrupt, cannot open) that is still there.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements HealthCheck {

    private final DuckloadConfig config;
    private final Writer writer;

    public DatabaseReadinessCheck(DuckloadConfig config, Writer writer) {
        this.config = config;
        this.writer = writer;
    }

    @Override
    public HealthCheckResponse call() {
        Path file = config.database().toAbsolutePath();
        boolean writable = Files.exists(file) ? Files.isWritable(file) : Files.isWritable(file.getParent());
        var response = HealthCheckResponse.named("duckdb").withData("file", file.toString())
                .withData("writable", writable);
        var problem = writer.unwritableBecause();
        problem.ifPresent(error -> response.withData("error", error));
        return response.status(writable && problem.isEmpty()).build();
    }
}
