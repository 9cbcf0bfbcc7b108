package io.duckload.warehouse;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.duckload.catalog.Check;

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

    /** The results as the ledger keeps them: a JSON array of {name, severity, passed, violations}. */
    static String ledgerJson(List<CheckResult> results) {
        // Names are identifiers checked at start and severity is an enum: nothing here needs escaping.
        return results.stream().map(r -> "{\"name\":\"" + r.name() + "\",\"severity\":\"" + r.severity().label()
                + "\",\"passed\":" + r.passed() + ",\"violations\":" + r.violations() + "}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    /** {@code name (severity): N violations, e.g. [...]}, for the failure message. */
    String describe() {
        return name + " (" + severity.label() + "): " + violations + (violations == 1 ? " violation" : " violations")
                + (samples.isEmpty() ? "" : ", e.g. " + samples);
    }
}
