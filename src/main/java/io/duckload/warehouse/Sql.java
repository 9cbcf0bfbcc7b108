package io.duckload.warehouse;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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

    /** {@code items} in consecutive chunks of at most {@link #ROWS_PER_STATEMENT}, one statement each. */
    public static <T> List<List<T>> chunks(List<T> items) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += ROWS_PER_STATEMENT) {
            chunks.add(items.subList(from, Math.min(items.size(), from + ROWS_PER_STATEMENT)));
        }
        return chunks;
    }

    /** Binds {@code values} to the parameters 1..n of {@code statement}. */
    public static void bind(PreparedStatement statement, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            statement.setString(i + 1, values.get(i));
        }
    }
}
