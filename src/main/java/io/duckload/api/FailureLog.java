package io.duckload.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.duckload.catalog.Catalog;
import io.duckload.catalog.Dataset;
import io.duckload.catalog.Partition;
import io.duckload.events.EventFactory;
import io.duckload.failure.LoadException;
import io.duckload.metrics.LoadMetrics;

/**
 * The latest failure of each dataset partition, kept in memory: failures are only published to Kafka, never
 * written to the DuckDB ledger. Also counts every failure in {@link LoadMetrics}.
 */
@ApplicationScoped
public class FailureLog {

    private final Catalog catalog;
    private final LoadMetrics metrics;
    private final Map<String, Failure> latest = new ConcurrentHashMap<>();

    public FailureLog(Catalog catalog, LoadMetrics metrics) {
        this.catalog = catalog;
        this.metrics = metrics;
    }

    /**
     * Notes that a request for {@code partition} of {@code dataset} failed. Only failures of a catalog dataset and
     * of a partition of its definition are kept, so that requests with arbitrary names cannot fill the memory.
     */
    public void failed(String dataset, String partition, LoadException failure) {
        Optional<Dataset> known = catalog.find(dataset);
        metrics.failed(known.map(Dataset::name).orElse(LoadMetrics.UNKNOWN_DATASET), failure.code());
        known.flatMap(d -> slot(d, partition)).ifPresent(slot -> latest.put(slot,
                new Failure(failure.code().name(), failure.getMessage(), Instant.now())));
    }

    /** The latest failure of {@code partition} ({@code null} for an unpartitioned dataset), if one was seen. */
    public Optional<Failure> latest(String dataset, String partition) {
        return Optional.ofNullable(latest.get(EventFactory.key(dataset, partition)));
    }

    /** Where a failure of {@code partition} is kept, if it names a partition of the dataset's definition. */
    private static Optional<String> slot(Dataset dataset, String partition) {
        if (!dataset.partitioned()) {
            return partition == null ? Optional.of(dataset.name()) : Optional.empty();
        }
        if (partition == null) {
            return Optional.empty();
        }
        try {
            Partition parsed = dataset.partitioning().get().parse(partition, LocalDate.now(ZoneOffset.UTC));
            return Optional.of(EventFactory.key(dataset.name(), parsed.key()));
        } catch (LoadException e) {
            return Optional.empty();
        }
    }

    /** One failure: its stable error code, message and when duckload gave up. */
    public record Failure(String code, String message, Instant at) {
    }
}
