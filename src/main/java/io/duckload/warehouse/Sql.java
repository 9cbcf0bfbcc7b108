package io.duckload.warehouse;

import java.util.Collections;

/** SQL text helpers; only ever applied to identifiers from configuration, which the catalog checked. */
public final class Sql {

    /**
     * Rows bound in one multi-row statement at most: a group commit stores the rows of its loads together, in
     * chunks of this size.
     */
    public static final int ROWS_PER_STATEMENT = 64;

    private Sql() {
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** {@code count} copies of {@code row} (a parenthesized list of {@code ?}), separated by commas. */
    public static String rows(int count, String row) {
        return String.join(", ", Collections.nCopies(count, row));
    }
}
