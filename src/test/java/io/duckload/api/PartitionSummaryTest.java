package io.duckload.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.duckload.api.PartitionStatus.Status;
import io.duckload.api.PartitionSummary.Range;
import io.duckload.contracts.PartitionMaterialized.CheckOutcome;

/** Counts, ranges, problems and columns of {@link PartitionSummary#of}, from statuses made here. */
class PartitionSummaryTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void countsRangesAndProblemsInKeyOrder() {
        List<PartitionStatus> statuses = List.of(never("d1"), never("d2"), loaded("d3", false), failed("d4"),
                loaded("d5", true), failed("d6"), failed("d7"), never("d8"));

        PartitionSummary summary = PartitionSummary.of("daily", statuses);

        assertThat(summary.counts()).containsExactly(Map.entry("materialized", 2), Map.entry("failed", 3),
                Map.entry("never", 3), Map.entry("warned", 1));
        assertThat(summary.ranges()).containsExactly(new Range(Status.NEVER, "d1", "d2", 2),
                new Range(Status.FAILED, "d4", "d4", 1), new Range(Status.FAILED, "d6", "d7", 2),
                new Range(Status.NEVER, "d8", "d8", 1));
        assertThat(summary.problems()).extracting(PartitionStatus::partition).containsExactly("d4", "d6", "d7", "d5");
        assertThat(summary.problemCount()).isEqualTo(4);
        assertThat(summary.partitions().key()).containsExactly("d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8");
        assertThat(summary.partitions().status()).containsExactly(Status.NEVER, Status.NEVER, Status.MATERIALIZED,
                Status.FAILED, Status.MATERIALIZED, Status.FAILED, Status.FAILED, Status.NEVER);
        assertThat(summary.partitions().rows()).containsExactly(null, null, 3L, null, 5L, null, null, null);
        assertThat(summary.partitions().durationMs()).containsExactly(null, null, 30L, null, 50L, null, null, null);
        assertThat(summary.partitions().warned()).containsExactly("d5");
    }

    @Test
    void problemsAreCappedButCounted() {
        List<PartitionStatus> statuses = new ArrayList<>();
        for (int i = 0; i < PartitionSummary.MAX_PROBLEMS + 5; i++) {
            statuses.add(failed("f" + (1000 + i)));
        }

        PartitionSummary summary = PartitionSummary.of("daily", statuses);

        assertThat(summary.problems()).hasSize(PartitionSummary.MAX_PROBLEMS).first()
                .extracting(PartitionStatus::partition).isEqualTo("f1000");
        assertThat(summary.problemCount()).isEqualTo(PartitionSummary.MAX_PROBLEMS + 5);
        assertThat(summary.ranges()).containsExactly(new Range(Status.FAILED, "f1000", "f1104", 105));
    }

    @Test
    void anUnpartitionedDatasetIsOnePartitionWithoutKey() {
        PartitionSummary summary = PartitionSummary.of(null, List.of(loaded(null, false)));

        assertThat(summary.granularity()).isNull();
        assertThat(summary.ranges()).isEmpty();
        assertThat(summary.partitions().key()).containsExactly((String) null);
        assertThat(summary.counts()).containsEntry("materialized", 1).containsEntry("never", 0);
    }

    private static PartitionStatus never(String key) {
        return new PartitionStatus(key, key, Status.NEVER, null, null, null, null, null, null);
    }

    private static PartitionStatus failed(String key) {
        return new PartitionStatus(key, key, Status.FAILED, null, null, null,
                new FailureLog.Failure("SOURCE_NOT_FOUND", "no file for " + key, AT), null, null);
    }

    private static PartitionStatus loaded(String key, boolean warned) {
        long rows = warned ? 5 : 3;
        List<CheckOutcome> checks = warned ? List.of(new CheckOutcome("small", "warn", false, 2)) : null;
        return new PartitionStatus(key, key, Status.MATERIALIZED, rows, AT, rows * 10, null, checks,
                warned ? Boolean.TRUE : null);
    }
}
