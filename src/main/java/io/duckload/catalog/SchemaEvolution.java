package io.duckload.catalog;

/** What duckload does at start when a dataset's existing table no longer matches its declared {@code columns}. */
public enum SchemaEvolution {
    /**
     * Adds declared columns and widens types (old rows keep their values, new columns read NULL); a dropped,
     * renamed or narrowed column stops the start, naming the statements the operator can run.
     */
    ADDITIVE,
    /** As additive, but a change that cannot be applied drops and recreates the table: its rows are lost. */
    RECREATE
}
