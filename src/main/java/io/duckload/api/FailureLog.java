package io.duckload.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.duckload.catalog.Catalog;
import io.duckload.catalog.Dataset;
import io.duckload.catalog.Partition;
import io.duckload.contracts.PartitionRequested;
import io.duckload.failure.LoadException;
import io.duckload.ingest.RequestFailed;

/**
 * The latest failure of each dataset partition, kept in memory: failures are only published to Kafka, never
 * written to the DuckDB ledger.
 */
@ApplicationScoped
public class FailureLog {

    private final Catalog catalog;
    private final Map<String, Failure> latest = new ConcurrentHashMap<>();

    public FailureLog(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Notes that a request for {@code partition} of {@code dataset} failed. Only failures of a catalog dataset and
     * of a partition of its definition are kept, so that requests with arbitrary names cannot fill the memory.
     */
    void failed(@Observes RequestFailed failed) {
        LoadException failure = failed.failure();
        catalog.find(failed.dataset()).flatMap(d -> slot(d, failed.partition())).ifPresent(slot -> latest.put(slot,
                new Failure(failure.code().name(), failure.getMessage(), Instant.now())));
    }

    /** The latest failure of {@code partition} ({@code null} for an unpartitioned dataset), if one was seen. */
    public Optional<Failure> latest(String dataset, String partition) {
        return Optional.ofNullable(latest.get(PartitionRequested.key(dataset, partition)));
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
            return Optional.of(PartitionRequested.key(dataset.name(), parsed.key()));
        } catch (LoadException e) {
            return Optional.empty();
        }
    }

    /** One failure: its stable error code, message and when duckload gave up. */
    public record Failure(String code, String message, Instant at) {
    }
}
