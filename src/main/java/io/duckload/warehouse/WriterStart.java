package io.duckload.warehouse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * The writer's part of the start. Its thread opens the file (loading DuckDB's library) and creates duckload's
 * tables first of all; the start waits for that just before Reactive Messaging starts the Kafka clients (priority
 * 1000) and fails with the cause. Waiting any later would let the consumer take requests while the start is still
 * failing (a table that cannot follow the catalog): RestartIT saw such a request answered with PartitionFailed by
 * the failing start instead of loaded by the fixed one.
 */
@ApplicationScoped
class WriterStart {

    private static final Logger LOG = Logger.getLogger(WriterStart.class);
    /** The priority of Quarkus' Reactive Messaging start (SmallRyeReactiveMessagingLifecycle.onApplicationStart). */
    private static final int MESSAGING = Interceptor.Priority.LIBRARY_BEFORE;

    private final Writer writer;
    private final DuckloadConfig config;
    private volatile CompletableFuture<Void> tables;

    WriterStart(Writer writer, DuckloadConfig config) {
        this.writer = writer;
        this.config = config;
    }

    void begin(@Observes @Priority(10) StartupEvent start, Instance<Tables> all) {
        tables = writer.createTables(all);
    }

    void await(@Observes @Priority(MESSAGING - 1) StartupEvent start) {
        try {
            tables.join();
        } catch (CompletionException e) {
            // The start fails with the cause itself: a table that cannot follow the catalog names key and remedy.
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        LOG.infof("DuckDB file %s is ready for writing (hold-file=%s)", config.database().toAbsolutePath(),
                config.writer().holdFile());
        UnpackedLibrary.removeOwn();
    }
}
