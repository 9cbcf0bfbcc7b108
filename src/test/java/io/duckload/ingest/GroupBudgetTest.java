package io.duckload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which waiting loads one group commit takes under {@code duckload.writer.group-max-bytes}. */
class GroupBudgetTest {

    private static final long MB = 1 << 20;

    @Test
    void smallLoadsGroupUpToTheBudget() {
        assertThat(GroupCommit.fitting(new long[] { MB, MB, MB, MB }, 3 * MB)).isEqualTo(3);
        assertThat(GroupCommit.fitting(new long[] { MB, MB, MB }, 3 * MB)).isEqualTo(3);
        assertThat(GroupCommit.fitting(new long[] { 10, 20, 30 }, 64 * MB)).isEqualTo(3);
    }

    @Test
    void aBigLoadIsTakenAloneAndNeverHeldBack() {
        assertThat(GroupCommit.fitting(new long[] { 100 * MB, MB }, 64 * MB)).isEqualTo(1);
        assertThat(GroupCommit.fitting(new long[] { MB, 100 * MB, MB }, 64 * MB)).isEqualTo(1);
        assertThat(GroupCommit.fitting(new long[] { 100 * MB }, 64 * MB)).isEqualTo(1);
    }

    @Test
    void nothingWaitingIsAnEmptyGroup() {
        assertThat(GroupCommit.fitting(new long[0], 64 * MB)).isZero();
    }
}
