package io.duckload.ingest;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.duckload.catalog.Catalog;
import io.duckload.catalog.Dataset;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.Partition;
import io.duckload.contracts.BackfillPosition;
import io.duckload.contracts.PartitionRequested;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/**
 * Validates a request against the catalog, once, into the loads it asks for. The Kafka consumer and the HTTP API
 * both go through here, so a request gets the same answer and the same error code whichever way it came.
 */
@ApplicationScoped
public class RequestPlanner {

    private final Catalog catalog;
    private final int maxBackfill;

    public RequestPlanner(Catalog catalog, DuckloadConfig config) {
        this.catalog = catalog;
        this.maxBackfill = config.pipeline().maxBackfill();
    }

    /** The loads {@code request} asks for, in partition order; a {@link LoadException} names what is wrong. */
    public List<PlannedLoad> plan(PartitionRequested request) {
        Dataset dataset = dataset(request.dataset());
        if (request.partitions() == null) {
            return List.of(new PlannedLoad(request.requestId(), dataset, partition(dataset, request.partition()),
                    Optional.empty()));
        }
        List<Partition> partitions = range(dataset, request.partitions().from(), request.partitions().to());
        List<PlannedLoad> loads = new ArrayList<>(partitions.size());
        for (int i = 0; i < partitions.size(); i++) {
            Partition partition = partitions.get(i);
            loads.add(new PlannedLoad(request.requestId() + "/" + partition.key(), dataset, Optional.of(partition),
                    Optional.of(new BackfillPosition(request.requestId(), i + 1, partitions.size()))));
        }
        return loads;
    }

    /** The catalog's dataset called {@code name}, or {@code UNKNOWN_DATASET}. */
    public Dataset dataset(String name) {
        return catalog.find(name).orElseThrow(() -> new LoadException(ErrorCode.UNKNOWN_DATASET,
                "unknown dataset \"" + abbreviate(String.valueOf(name)) + "\"; known: " + catalog.all().keySet()));
    }

    /** The partition {@code key} names, normalized; empty for an unpartitioned dataset, which takes none. */
    public Optional<Partition> partition(Dataset dataset, String key) {
        if (dataset.partitioning().isEmpty()) {
            if (key != null && !key.isEmpty()) {
                throw new LoadException(ErrorCode.PARTITION_NOT_APPLICABLE,
                        "dataset " + dataset.name() + " is not partitioned; omit 'partition'");
            }
            return Optional.empty();
        }
        if (key == null || key.isEmpty()) {
            throw new LoadException(ErrorCode.PARTITION_REQUIRED,
                    "dataset " + dataset.name() + " is partitioned; the request needs a 'partition'");
        }
        return Optional.of(dataset.partitioning().get().parse(key, today()));
    }

    /**
     * Every partition from {@code from} to {@code to} (both included; {@code to} defaults to {@code from}), at most
     * {@code duckload.pipeline.max-backfill}.
     */
    public List<Partition> range(Dataset dataset, String from, String to) {
        if (dataset.partitioning().isEmpty()) {
            throw new LoadException(ErrorCode.PARTITION_NOT_APPLICABLE,
                    "dataset " + dataset.name() + " is not partitioned; a backfill needs partitions");
        }
        if (from == null || from.isBlank()) {
            throw new LoadException(ErrorCode.PARTITION_REQUIRED, "a range needs 'from' (and optionally 'to')");
        }
        String last = to == null || to.isBlank() ? from : to;
        return dataset.partitioning().get().range(from, last, today(), maxBackfill);
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static String abbreviate(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
