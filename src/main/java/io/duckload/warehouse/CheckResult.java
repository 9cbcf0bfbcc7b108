package io.duckload.warehouse;

import java.util.List;
import java.util.Map;

import io.duckload.catalog.Check;
import io.duckload.contracts.PartitionMaterialized.CheckOutcome;

/**
 * The outcome of one check on one load.
 *
 * @param name the check's name
 * @param severity what a failure does: error refuses the load, warn reports
 * @param passed whether the load met the check
 * @param violations violating rows (not-null, sql), repeated keys (unique), rows short of the minimum (min-rows,
 *        max-drop); 0 when passed
 * @param samples up to five violating rows, only the columns the check lists
 */
public record CheckResult(String name, Check.Severity severity, boolean passed, long violations,
        List<Map<String, String>> samples) {

    /** Whether this result refuses the load. */
    public boolean refuses() {
        return !passed && severity == Check.Severity.ERROR;
    }

    /** The result as PartitionMaterialized reports it and the ledger keeps it (without samples). */
    public CheckOutcome outcome() {
        return new CheckOutcome(name, severity.label(), passed, violations);
    }

    /** {@code name (severity): N violations, e.g. [...]}, for the failure message. */
    String describe() {
        return name + " (" + severity.label() + "): " + violations + (violations == 1 ? " violation" : " violations")
                + (samples.isEmpty() ? "" : ", e.g. " + samples);
    }
}
