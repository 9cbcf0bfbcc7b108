package io.duckload.catalog;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/** Length of one partition. */
public enum Granularity {
    DAILY(ChronoUnit.DAYS),
    MONTHLY(ChronoUnit.MONTHS);

    private final ChronoUnit unit;

    Granularity(ChronoUnit unit) {
        this.unit = unit;
    }

    /** Whether {@code date} starts a partition of this granularity. */
    public boolean isBoundary(LocalDate date) {
        return this == DAILY || date.getDayOfMonth() == 1;
    }

    public LocalDate next(LocalDate start) {
        return start.plus(1, unit);
    }
}
