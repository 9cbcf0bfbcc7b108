package io.duckload.catalog;

import java.util.Locale;
import java.util.Optional;

/** File formats DuckDB reads for duckload, each with the table function that reads it. */
public enum SourceFormat {
    PARQUET("read_parquet(?"),
    CSV("read_csv(?, header = true"),
    JSON("read_json_auto(?");

    private final String reader;

    SourceFormat(String reader) {
        this.reader = reader;
    }

    /** SQL text of the table function, with one parameter for the local file path and the extra options. */
    public String reader(Optional<String> options) {
        return reader + options.map(o -> ", " + o).orElse("") + ")";
    }

    /** Guesses the format from a location's extension, ignoring a compression suffix. */
    public static Optional<SourceFormat> fromLocation(String location) {
        String name = location.toLowerCase(Locale.ROOT);
        int query = name.indexOf('?');
        if (query >= 0) {
            name = name.substring(0, query);
        }
        for (String compression : new String[] { ".gz", ".zst" }) {
            if (name.endsWith(compression)) {
                name = name.substring(0, name.length() - compression.length());
            }
        }
        if (name.endsWith(".parquet")) {
            return Optional.of(PARQUET);
        }
        if (name.endsWith(".csv") || name.endsWith(".tsv")) {
            return Optional.of(CSV);
        }
        if (name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return Optional.of(JSON);
        }
        return Optional.empty();
    }
}
