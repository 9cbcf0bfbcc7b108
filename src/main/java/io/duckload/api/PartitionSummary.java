package io.duckload.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.duckload.api.PartitionStatus.Status;

/**
 * Every partition of a dataset in a few bytes each, for the status page: counts, the runs of failed and never
 * requested partitions, the problems in full, and one column per field (3,650 daily partitions: about 250 KB, a
 * quarter of {@code /partitions}).
 *
 * @param granularity {@code daily} or {@code monthly}; absent for an unpartitioned dataset
 * @param counts partitions by status, and {@code warned}: materialized ones on which a warn check failed
 * @param ranges consecutive failed or never requested partitions, oldest first
 * @param problems failed partitions, then warned ones, in full (failure, checks); at most {@link #MAX_PROBLEMS}
 * @param problemCount how many partitions are failed or warned in all
 * @param partitions every partition, oldest first, one array per field
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartitionSummary(String granularity, Map<String, Integer> counts, List<Range> ranges,
        List<PartitionStatus> problems, int problemCount, Columns partitions) {

    /** Enough for a page to list; the ranges and the columns say where the rest are. */
    static final int MAX_PROBLEMS = 100;
    static final String WARNED = "warned";

    /**
     * Partitions {@code from} to {@code to} (keys, both included) that all have {@code status}.
     *
     * @param partitions how many
     */
    public record Range(Status status, String from, String to, int partitions) {
    }

    /**
     * The i-th element of each list describes the i-th partition; {@code rows}, {@code durationMs} and
     * {@code lastLoadAt} are null where no load committed. {@code warned} lists the keys of warned partitions.
     */
    public record Columns(List<String> key, List<Status> status, List<Long> rows, List<Long> durationMs,
            List<Instant> lastLoadAt, List<String> warned) {
    }

    /** The summary of {@code statuses}, oldest first as {@link Datasets#statuses} lists them. */
    static PartitionSummary of(String granularity, List<PartitionStatus> statuses) {
        Map<Status, Integer> byStatus = new EnumMap<>(Status.class);
        List<Range> ranges = new ArrayList<>();
        List<PartitionStatus> failed = new ArrayList<>();
        List<PartitionStatus> warned = new ArrayList<>();
        Columns columns = new Columns(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>());
        int runStart = 0;
        for (int i = 0; i < statuses.size(); i++) {
            PartitionStatus p = statuses.get(i);
            byStatus.merge(p.status(), 1, Integer::sum);
            add(columns, p);
            if (p.status() == Status.FAILED) {
                failed.add(p);
            } else if (Boolean.TRUE.equals(p.warned())) {
                warned.add(p);
            }
            boolean runEnds = i + 1 == statuses.size() || statuses.get(i + 1).status() != p.status();
            if (runEnds) {
                if (p.status() != Status.MATERIALIZED) {
                    ranges.add(new Range(p.status(), statuses.get(runStart).partition(), p.partition(),
                            i + 1 - runStart));
                }
                runStart = i + 1;
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Status status : Status.values()) {
            counts.put(status.json(), byStatus.getOrDefault(status, 0));
        }
        counts.put(WARNED, warned.size());
        List<PartitionStatus> problems = new ArrayList<>(failed);
        problems.addAll(warned);
        return new PartitionSummary(granularity, counts, ranges,
                problems.subList(0, Math.min(MAX_PROBLEMS, problems.size())), problems.size(), columns);
    }

    private static void add(Columns columns, PartitionStatus p) {
        columns.key().add(p.partition());
        columns.status().add(p.status());
        columns.rows().add(p.rows());
        columns.durationMs().add(p.durationMs());
        columns.lastLoadAt().add(p.lastLoadAt());
        if (Boolean.TRUE.equals(p.warned())) {
            columns.warned().add(Objects.requireNonNullElse(p.partition(), ""));
        }
    }
}
