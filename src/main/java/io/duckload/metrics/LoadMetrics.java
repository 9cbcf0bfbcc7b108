package io.duckload.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.duckload.catalog.Catalog;
import io.duckload.events.EventFactory;
import io.duckload.failure.ErrorCode;
import io.duckload.source.StagedSource;
import io.duckload.warehouse.OutboxEvent;
import io.duckload.warehouse.Warehouse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * duckload's own meters, served at {@code /q/metrics}: loads, failures, rows, bytes, load and fetch durations, the
 * request queue depth and the DuckDB lock wait. Meters of catalog datasets exist from the start, at zero.
 */
@Startup
@ApplicationScoped
public class LoadMetrics {

    /** Tag value for failures of a dataset the catalog does not know, so that tags stay a bounded set. */
    public static final String UNKNOWN_DATASET = "unknown";

    private final MeterRegistry registry;
    private final ObjectMapper mapper;
    private final AtomicInteger queueDepth = new AtomicInteger();

    public LoadMetrics(MeterRegistry registry, ObjectMapper mapper, Catalog catalog, Warehouse warehouse) {
        this.registry = registry;
        this.mapper = mapper;
        Gauge.builder("duckload.queue.depth", queueDepth, AtomicInteger::get)
                .description("Requests received from partition-requested and not answered yet").register(registry);
        // Read from the writer, which counts its waits for another process (dbt) to release the file.
        FunctionTimer.builder("duckload.lock.wait", warehouse, Warehouse::lockWaits,
                w -> w.totalLockWait().toNanos(), TimeUnit.NANOSECONDS)
                .description("Time spent waiting for another process to release the DuckDB file lock")
                .register(registry);
        catalog.all().keySet().forEach(dataset -> {
            loads(dataset);
            rows(dataset);
            bytes(dataset);
            loadDuration(dataset);
            fetchDuration(dataset);
        });
    }

    /** Counts a committed and announced load from its PartitionMaterialized event. */
    public void materialized(OutboxEvent event) {
        JsonNode payload = json(event.payload());
        String dataset = payload.path("dataset").asText(UNKNOWN_DATASET);
        loads(dataset).increment();
        rows(dataset).increment(payload.path("rowsInserted").asLong());
        loadDuration(dataset).record(Duration.ofMillis(payload.path("durationMs").asLong()));
    }

    /** Counts a request answered with PartitionFailed. */
    public void failed(String dataset, ErrorCode code) {
        Counter.builder("duckload.failures").description("Requests answered with PartitionFailed")
                .tags("dataset", dataset, "code", code.name()).register(registry).increment();
    }

    /** Runs {@code fetch}, timing it and counting the bytes of the source it brings. */
    public StagedSource fetch(String dataset, Supplier<StagedSource> fetch) {
        StagedSource source = fetchDuration(dataset).record(fetch);
        bytes(dataset).increment(source.bytes());
        return source;
    }

    void received() {
        queueDepth.incrementAndGet();
    }

    void answered() {
        queueDepth.decrementAndGet();
    }

    private Counter loads(String dataset) {
        return counter("duckload.loads", "Loads committed and announced", dataset);
    }

    private Counter rows(String dataset) {
        return counter("duckload.rows.inserted", "Rows inserted by committed loads", dataset);
    }

    private Counter bytes(String dataset) {
        return counter("duckload.fetched.bytes", "Bytes of sources brought to local files", dataset);
    }

    private Timer loadDuration(String dataset) {
        return timer("duckload.load.duration", "From the start of fetching to the commit of a load", dataset);
    }

    private Timer fetchDuration(String dataset) {
        return timer("duckload.fetch.duration", "Time to bring a source to a local file", dataset);
    }

    private Counter counter(String name, String description, String dataset) {
        return Counter.builder(name).description(description).tag("dataset", dataset).register(registry);
    }

    private Timer timer(String name, String description, String dataset) {
        return Timer.builder(name).description(description).tag("dataset", dataset).register(registry);
    }

    private JsonNode json(String payload) {
        try {
            return mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            return mapper.createObjectNode();
        }
    }
}
