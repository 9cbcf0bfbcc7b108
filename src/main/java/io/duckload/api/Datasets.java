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
import io.duckload.ingest.RequestPlanner;

/** The catalog as the API sees it: dataset lookup, partition ranges and each partition's status. */
@ApplicationScoped
public class Datasets {

    private final Catalog catalog;
    private final RequestPlanner planner;
    private final LedgerReader ledger;
    private final FailureLog failures;

    public Datasets(Catalog catalog, RequestPlanner planner, LedgerReader ledger, FailureLog failures) {
        this.catalog = catalog;
        this.planner = planner;
        this.ledger = ledger;
        this.failures = failures;
    }

    public List<DatasetView> views() {
        return catalog.all().values().stream().map(DatasetView::of).toList();
    }

    /** The dataset called {@code name}; {@code UNKNOWN_DATASET} (404) otherwise. */
    public Dataset require(String name) {
        return planner.dataset(name);
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

    /** {@link #statuses} summarised for the status page. */
    public PartitionSummary summary(Dataset dataset) {
        return PartitionSummary.of(dataset.partitioning().map(s -> DatasetView.Partitioning.of(s).granularity())
                .orElse(null), statuses(dataset));
    }

    /**
     * The partitions from {@code from} to {@code to}, both included, validated as a backfill request is (same
     * limit, same error codes): 400 errors for bad keys or ranges.
     */
    public List<Partition> range(Dataset dataset, String from, String to) {
        return planner.range(dataset, from, to);
    }

    /** One partition of {@code dataset} by key, validated as a request's partition is. */
    public Partition partition(Dataset dataset, String key) {
        return planner.partition(dataset, key).orElseThrow();
    }

    private PartitionStatus status(String dataset, String key, String value, Load load) {
        Optional<Failure> failure = failures.latest(dataset, key)
                .filter(f -> load == null || f.at().isAfter(load.finishedAt()));
        Status status = failure.isPresent() ? Status.FAILED : load != null ? Status.MATERIALIZED : Status.NEVER;
        if (load == null) {
            return new PartitionStatus(key, value, status, null, null, null, failure.orElse(null), null, null);
        }
        boolean warned = load.checks().stream().anyMatch(c -> !c.passed());
        return new PartitionStatus(key, value, status, load.rows(), load.finishedAt(),
                Duration.between(load.startedAt(), load.finishedAt()).toMillis(), failure.orElse(null),
                load.checks().isEmpty() ? null : load.checks(), warned ? Boolean.TRUE : null);
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
