package io.duckload.metrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;


import io.duckload.catalog.Catalog;
import io.duckload.catalog.Dataset;
import io.duckload.ingest.GroupCommitted;
import io.duckload.ingest.LoadCommitted;
import io.duckload.ingest.RequestFailed;
import io.duckload.ingest.SourceFetched;
import io.duckload.warehouse.Writer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
    private final Catalog catalog;
    private final AtomicInteger queueDepth = new AtomicInteger();

    public LoadMetrics(MeterRegistry registry, Catalog catalog, Writer writer) {
        this.registry = registry;
        this.catalog = catalog;
        Gauge.builder("duckload.queue.depth", queueDepth, AtomicInteger::get)
                .description("Requests received from partition-requested and not answered yet").register(registry);
        // Read from the writer, which counts its waits for another process (dbt) to release the file.
        FunctionTimer.builder("duckload.lock.wait", writer, Writer::lockWaits,
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

    /** Counts a committed and announced load. */
    void committed(@Observes LoadCommitted load) {
        loads(load.dataset()).increment();
        rows(load.dataset()).increment(load.rowsInserted());
        loadDuration(load.dataset()).record(load.duration());
    }

    /**
     * Counts a request answered with PartitionFailed; a dataset the catalog does not know is tagged
     * {@value #UNKNOWN_DATASET}, so that requests with arbitrary names cannot grow the set of meters.
     */
    void failed(@Observes RequestFailed failure) {
        String dataset = catalog.find(failure.dataset()).map(Dataset::name).orElse(UNKNOWN_DATASET);
        Counter.builder("duckload.failures").description("Requests answered with PartitionFailed")
                .tags("dataset", dataset, "code", failure.failure().code().name()).register(registry).increment();
    }

    /** Records how many loads one transaction committed (1 without group commit or when the writer was idle). */
    void groupCommitted(@Observes GroupCommitted group) {
        DistributionSummary.builder("duckload.commit.group.size")
                .description("Loads committed together in one DuckDB transaction").register(registry)
                .record(group.loads());
    }

    /** Times a fetch and counts the bytes of the source it brought. */
    void fetched(@Observes SourceFetched fetch) {
        fetchDuration(fetch.dataset()).record(fetch.duration());
        bytes(fetch.dataset()).increment(fetch.bytes());
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

}
