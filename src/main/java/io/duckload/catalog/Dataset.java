package io.duckload.catalog;

import java.util.List;
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
 * @param checks data contracts checked in each load's transaction
 * @param optionalSourceColumns source columns the select names that a source file may lack (read as NULL then)
 * @param declaredColumns {@code columns} as DuckDB normalizes them; empty when the dataset declares none
 * @param schemaEvolution what happens at start when the existing table no longer matches {@code columns}
 */
public record Dataset(String name, String table, Optional<String> columns, LoadMode mode,
        Optional<PartitionScheme> partitioning, Template source, Optional<SourceFormat> format, Optional<String> readerOptions, Template select,
        boolean export, Optional<String> dbtSelect, List<Check> checks, List<String> optionalSourceColumns,
        TableColumns declaredColumns, SchemaEvolution schemaEvolution) {

    /** A dataset without checks. */
    public Dataset(String name, String table, Optional<String> columns, LoadMode mode,
            Optional<PartitionScheme> partitioning, Template source, Optional<SourceFormat> format,
            Optional<String> readerOptions, Template select, boolean export, Optional<String> dbtSelect) {
        this(name, table, columns, mode, partitioning, source, format, readerOptions, select, export, dbtSelect,
                List.of(), List.of(), new TableColumns(List.of()), SchemaEvolution.ADDITIVE);
    }

    /** A dataset without parquet export and without dbt selection. */
    public Dataset(String name, String table, Optional<String> columns, LoadMode mode,
            Optional<PartitionScheme> partitioning, Template source, Optional<SourceFormat> format,
            Optional<String> readerOptions, Template select) {
        this(name, table, columns, mode, partitioning, source, format, readerOptions, select, false, Optional.empty());
    }

    public boolean partitioned() {
        return partitioning.isPresent();
    }

    /** The same dataset with {@code newChecks}. */
    public Dataset withChecks(List<Check> newChecks) {
        return new Dataset(name, table, columns, mode, partitioning, source, format, readerOptions, select, export,
                dbtSelect, List.copyOf(newChecks), optionalSourceColumns, declaredColumns, schemaEvolution);
    }

    /** The same dataset, letting a source file lack {@code columns}. */
    public Dataset withOptionalSourceColumns(List<String> columns) {
        return new Dataset(name, table, this.columns, mode, partitioning, source, format, readerOptions, select,
                export, dbtSelect, checks, List.copyOf(columns), declaredColumns, schemaEvolution);
    }

    /** The same dataset with its {@code columns} normalized as {@code declared}, evolving as {@code evolution}. */
    public Dataset withDeclaredColumns(TableColumns declared, SchemaEvolution evolution) {
        return new Dataset(name, table, columns, mode, partitioning, source, format, readerOptions, select, export,
                dbtSelect, checks, optionalSourceColumns, declared, evolution);
    }

    /**
     * SQL of the rows one load wrote, as checks see them as {@code {rows}}: the whole table, or for a partitioned
     * dataset the table filtered by its partition column, with one {@code ?} for the partition value.
     */
    public String rowsRelation() {
        return partitioning.map(p -> "(SELECT * FROM " + Check.quote(table) + " WHERE " + Check.quote(p.column())
                + " = ?)").orElse(Check.quote(table));
    }
}
