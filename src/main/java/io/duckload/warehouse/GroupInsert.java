package io.duckload.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.duckload.catalog.Dataset;

/**
 * One INSERT for the loads of a group commit that replace partitions of one dataset, instead of one statement per
 * load: the dataset's select, rendered for each load with its own bound source and partition values, joined with
 * UNION ALL. What a tiny load costs the writer is mostly its statement, not its rows, so a group of small loads
 * pays for one.
 *
 * <p>
 * Each load's rows are those of its partition: the partitions were cleared in this transaction, so the rows the
 * table now holds under each partition value are what the statement inserted for it. When those counts do not add
 * up to the rows inserted, some load wrote rows outside its partition and the counts cannot be told apart:
 * {@link RowsOutsidePartitions} is thrown, the group is rolled back and its loads are committed one by one.
 */
public final class GroupInsert {

    /** Most loads one statement inserts; a bigger group takes several statements. */
    static final int LOADS_PER_STATEMENT = 64;

    private GroupInsert() {
    }

    /**
     * Inserts the rows of {@code jobs}, all replace-partition loads of {@code dataset} whose partitions
     * {@link TableMemo#clear} emptied in this transaction and whose sources were described before, and leaves each
     * load's count in {@code tables} for its {@link PartitionLoader#load}.
     */
    static void insert(Connection connection, Dataset dataset, List<LoadJob> jobs, TableMemo tables)
            throws SQLException {
        for (int from = 0; from < jobs.size(); from += LOADS_PER_STATEMENT) {
            insertChunk(connection, dataset, jobs.subList(from, Math.min(jobs.size(), from + LOADS_PER_STATEMENT)),
                    tables);
        }
    }

    private static void insertChunk(Connection connection, Dataset dataset, List<LoadJob> jobs, TableMemo tables)
            throws SQLException {
        List<String> selects = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (LoadJob job : jobs) {
            PartitionLoader.Bound select = PartitionLoader.select(dataset, job.partition(), job.source(),
                    job.sourceSchema().orElseThrow().lacking(dataset.optionalSourceColumns()));
            selects.add("SELECT * FROM (" + select.sql() + ")");
            values.addAll(select.values());
        }
        String sql = "INSERT INTO " + Sql.quote(dataset.table()) + PartitionLoader.columnList(dataset) + " "
                + String.join(" UNION ALL ", selects);
        long inserted = PartitionLoader.insert(connection, sql, values);
        List<String> partitions = jobs.stream().map(job -> job.partition().orElseThrow().value()).toList();
        Map<String, Long> counts = TableMemo.count(connection, dataset.table(),
                dataset.partitioning().orElseThrow().column(), partitions);
        long attributed = counts.values().stream().mapToLong(Long::longValue).sum();
        if (attributed != inserted) {
            throw new RowsOutsidePartitions(dataset.name(), inserted - attributed);
        }
        tables.inserted(dataset.table(), counts);
    }

    /** Some load of a combined insert wrote rows whose partition column is not its partition. */
    public static final class RowsOutsidePartitions extends SQLException {

        private static final long serialVersionUID = 1L;

        RowsOutsidePartitions(String dataset, long rows) {
            super("loads of dataset '" + dataset + "' inserted " + rows
                    + " row(s) outside their partitions; committing them one by one");
        }
    }
}
