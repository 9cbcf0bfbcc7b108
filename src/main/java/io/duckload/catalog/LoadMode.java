package io.duckload.catalog;

/** How a load replaces what the target table holds. */
public enum LoadMode {
    /** The whole table is replaced by the source. */
    REPLACE_TABLE,
    /** The rows of one partition are deleted and inserted fresh from the source. */
    REPLACE_PARTITION
}
