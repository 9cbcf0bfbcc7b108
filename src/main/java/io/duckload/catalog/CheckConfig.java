package io.duckload.catalog;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.WithDefault;

/**
 * One check of a dataset: exactly one of {@code sql}, {@code min-rows}, {@code not-null}, {@code unique},
 * {@code max-drop}, and its severity.
 */
public interface CheckConfig {
    /** A select over {@code {rows}} (the load's new rows) returning the violating rows; none means passed. */
    Optional<String> sql();

    /** The least number of rows a load must insert. */
    Optional<Long> minRows();

    /** Columns that may hold no NULL. */
    Optional<List<String>> notNull();

    /** Columns that together may hold no value twice. */
    Optional<List<String>> unique();

    /** The largest share (0 to 1) of the partition's previous rows a load may lose, e.g. 0.5. */
    Optional<Double> maxDrop();

    /** {@code error} rolls the load back, {@code warn} commits and reports. */
    @WithDefault("error")
    Check.Severity severity();

    /** Columns of an {@code sql} check's violating rows shown in a failure (no other column is shown). */
    Optional<List<String>> sampleColumns();
}
