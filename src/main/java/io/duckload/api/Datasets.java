package io.duckload.api;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.duckload.api.FailureLog.Failure;
import io.duckload.api.LedgerReader.Load;
import io.duckload.api.PartitionStatus.Status;
import io.duckload.catalog.Catalog;
import io.duckload.catalog.Dataset;
import io.duckload.catalog.Partition;
import io.duckload.catalog.PartitionScheme;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/** The catalog as the API sees it: dataset lookup, partition ranges and each partition's status. */
@ApplicationScoped
public class Datasets {

    /** Most partitions one range request may ask for. */
    static final int MAX_RANGE = 1000;

    private final Catalog catalog;
    private final LedgerReader ledger;
    private final FailureLog failures;

    public Datasets(Catalog catalog, LedgerReader ledger, FailureLog failures) {
        this.catalog = catalog;
        this.ledger = ledger;
        this.failures = failures;
    }

    public List<DatasetView> views() {
        return catalog.all().values().stream().map(DatasetView::of).toList();
    }

    /** The dataset called {@code name}; a {@link LoadException} with {@code UNKNOWN_DATASET} otherwise. */
    public Dataset require(String name) {
        return catalog.find(name).orElseThrow(() -> new LoadException(ErrorCode.UNKNOWN_DATASET,
                "unknown dataset \"" + (name.length() > 64 ? name.substring(0, 64) + "…" : name) + "\"; known: "
                        + catalog.all().keySet()));
    }

    /** Every partition of the definition, from its start to its end or to the current one, with its status. */
    public List<PartitionStatus> statuses(Dataset dataset) {
        Map<String, Load> loads = ledger.latestLoads(dataset.name());
        if (dataset.partitioning().isEmpty()) {
            return List.of(status(dataset.name(), null, null, loads.get(LedgerReader.UNPARTITIONED)));
        }
        PartitionScheme scheme = dataset.partitioning().get();
        LocalDate last = today();
        if (scheme.end().isPresent() && scheme.end().get().isBefore(last.plusDays(1))) {
            last = scheme.end().get().minusDays(1);
        }
        return between(scheme, scheme.start(), last).stream()
                .map(p -> status(dataset.name(), p.key(), p.value(), loads.get(p.key()))).toList();
    }

    /** The partitions from {@code from} to {@code to}, both included; 400 errors for bad keys or ranges. */
    public List<Partition> range(Dataset dataset, String from, String to) {
        if (dataset.partitioning().isEmpty()) {
            throw new LoadException(ErrorCode.PARTITION_NOT_APPLICABLE,
                    "dataset " + dataset.name() + " is not partitioned; post no range");
        }
        if (from == null || from.isBlank()) {
            throw new LoadException(ErrorCode.PARTITION_REQUIRED, "the range needs 'from' (and optionally 'to')");
        }
        PartitionScheme scheme = dataset.partitioning().get();
        Partition first = scheme.parse(from, today());
        Partition last = to == null || to.isBlank() ? first : scheme.parse(to, today());
        if (last.start().isBefore(first.start())) {
            throw new LoadException(ErrorCode.INVALID_PARTITION, "'to' " + last.key() + " is before 'from' "
                    + first.key());
        }
        List<Partition> partitions = between(scheme, first.start(), last.start());
        if (partitions.size() > MAX_RANGE) {
            throw new LoadException(ErrorCode.PARTITION_OUT_OF_RANGE,
                    "a range may hold at most " + MAX_RANGE + " partitions, this one holds " + partitions.size());
        }
        return partitions;
    }

    /** One partition of {@code dataset} by key; an unpartitioned dataset takes none. */
    public Partition partition(Dataset dataset, String key) {
        return range(dataset, key, key).get(0);
    }

    private PartitionStatus status(String dataset, String key, String value, Load load) {
        Optional<Failure> failure = failures.latest(dataset, key)
                .filter(f -> load == null || f.at().isAfter(load.finishedAt()));
        Status status = failure.isPresent() ? Status.FAILED : load != null ? Status.MATERIALIZED : Status.NEVER;
        if (load == null) {
            return new PartitionStatus(key, value, status, null, null, null, failure.orElse(null));
        }
        return new PartitionStatus(key, value, status, load.rows(), load.finishedAt(),
                Duration.between(load.startedAt(), load.finishedAt()).toMillis(), failure.orElse(null));
    }

    private static List<Partition> between(PartitionScheme scheme, LocalDate first, LocalDate last) {
        LocalDate today = today();
        List<Partition> partitions = new ArrayList<>();
        for (LocalDate start = first; !start.isAfter(last); start = scheme.granularity().next(start)) {
            partitions.add(scheme.parse(start.toString(), today));
        }
        return partitions;
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }
}
