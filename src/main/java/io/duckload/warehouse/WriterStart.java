package io.duckload.warehouse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.failure.Futures;
import io.quarkus.runtime.StartupEvent;

/**
 * The writer's part of the start. Its thread opens the file (loading DuckDB's library) and creates duckload's
 * tables first of all, while the start goes on making the Kafka clients; the start waits for that as its last step
 * and fails with the cause. Requests the consumer takes meanwhile wait for {@link #ready}, which completes only when
 * the start succeeded: a failing start (a table that cannot follow the catalog) answers nothing, and its requests go
 * to the next start (RestartIT).
 */
@ApplicationScoped
public class WriterStart {

    private static final Logger LOG = Logger.getLogger(WriterStart.class);

    private final Writer writer;
    private final DuckloadConfig config;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** What {@link #ready} hands out, made once: every record asks for it. */
    private final CompletionStage<Void> readyStage = ready.minimalCompletionStage();
    private volatile CompletableFuture<Void> tables;

    WriterStart(Writer writer, DuckloadConfig config) {
        this.writer = writer;
        this.config = config;
    }

    /** Completes once the file is ready for writing; never when the start fails (nor exceptionally). */
    public CompletionStage<Void> ready() {
        return readyStage;
    }

    void begin(@Observes @Priority(10) StartupEvent start, Instance<Tables> all) {
        tables = writer.createTables(all);
    }

    void await(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER + 1000) StartupEvent start) {
        // The start fails with the cause itself: a table that cannot follow the catalog names key and remedy.
        Futures.join(tables);
        LOG.infof("DuckDB file %s is ready for writing (hold-file=%s)", config.database().toAbsolutePath(),
                config.writer().holdFile());
        UnpackedLibrary.removeOwn();
        ready.complete(null);
    }
}
