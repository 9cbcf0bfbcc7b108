package io.duckload.catalog;

import java.util.Optional;

/**
 * A validated dataset definition.
 *
 * @param name dataset name, as requests name it
 * @param table target table (a checked identifier)
 * @param columns column definitions of the target table, if configured
 * @param mode how a load replaces the table's contents
 * @param partitioning present for partitioned datasets
 * @param source location template of the source file
 * @param format source format, if fixed by configuration; else guessed from the resolved location
 * @param readerOptions extra named arguments of the reader function
 * @param select the select producing the table's rows
 * @param export whether each load is also written as parquet under {@code duckload.export-root}
 * @param dbtSelect dbt node selection announced with each load, if configured
 */
public record Dataset(String name, String table, Optional<String> columns, LoadMode mode,
        Optional<PartitionScheme> partitioning, Template source, Optional<SourceFormat> format, Optional<String> readerOptions, Template select,
        boolean export, Optional<String> dbtSelect) {

    /** A dataset without parquet export and without dbt selection. */
    public Dataset(String name, String table, Optional<String> columns, LoadMode mode,
            Optional<PartitionScheme> partitioning, Template source, Optional<SourceFormat> format,
            Optional<String> readerOptions, Template select) {
        this(name, table, columns, mode, partitioning, source, format, readerOptions, select, false, Optional.empty());
    }

    public boolean partitioned() {
        return partitioning.isPresent();
    }
}
