package io.duckload.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A data contract of a dataset, checked inside each load's transaction before the commit.
 *
 * @param name the check's name, its key under {@code duckload.datasets.<d>.checks}
 * @param kind what is checked
 * @param severity whether a failure refuses the load ({@code error}) or is only reported ({@code warn})
 * @param violations for the kinds that query the rows: a select over {@code {rows}} returning the violating rows
 * @param sampleColumns columns of the violating rows that a failure may show (redaction: no other column is shown)
 * @param limit {@code min-rows}: the least number of rows; {@code max-drop}: the largest share of the partition's
 *        previous rows a load may lose
 */
public record Check(String name, Kind kind, Severity severity, Optional<Template> violations,
        List<String> sampleColumns, double limit) {

    /** The number of violating rows of a rendered check. */
    public static String countQuery(String violations) {
        return "SELECT count(*) FROM (" + violations + ") AS violations";
    }

    /** Up to five violating rows of a rendered check, only {@code columns} of them. */
    public static String sampleQuery(String violations, List<String> columns) {
        return "SELECT " + columns.stream().map(Check::quote).collect(Collectors.joining(", "))
                + " FROM (" + violations + ") AS violations LIMIT 5";
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** What a check compares. */
    public enum Kind {
        /** A configured select over {@code {rows}} returning violating rows. */
        SQL,
        /** The load must insert at least {@code limit} rows. */
        MIN_ROWS,
        /** The listed columns hold no NULL. */
        NOT_NULL,
        /** The listed columns together hold no value twice. */
        UNIQUE,
        /** The partition keeps at least {@code 1 - limit} of the rows it held before this load. */
        MAX_DROP
    }

    /** What a failed check does to its load. */
    public enum Severity {
        /** The load is rolled back and its request fails with {@code CHECK_FAILED}. */
        ERROR,
        /** The load commits; the failure is reported in the event, the ledger and the API. */
        WARN;

        /** As configured and as the events spell it: {@code error}, {@code warn}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
