package io.duckload.warehouse;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.Partition;

/**
 * One load's changes to the file, made inside the caller's transaction: the partition (or table) replaced, its checks
 * run and, for a dataset that exports, its parquet file written aside: the transaction's {@link TableMemo} holds it
 * until the writer publishes it just before the commit (or discards it).
 */
public final class PartitionWrite {

    private PartitionWrite() {
    }

    /**
     * Replaces {@code job}'s partition with the rows of its staged source, runs the dataset's checks on them and
     * exports when the dataset does; returns what the load changed. {@code tables} is what the transaction's loads
     * share about their tables. A failed {@code error} check throws {@code CHECK_FAILED}: the caller's transaction
     * must then be rolled back.
     */
    public static LoadOutcome apply(Connection connection, LoadJob job, Optional<Path> exportRoot, TableMemo tables)
            throws SQLException {
        PartitionLoader.Counts counts = PartitionLoader.load(connection, job, tables);
        CrashPoints.reached("in-transaction");
        // Checks see the new rows before anything leaves the transaction (export included); an error check throws.
        List<CheckResult> checks = Checks.run(connection, job.dataset(), job.partition(), counts);
        Optional<Path> target = Optional.empty();
        if (job.dataset().export()) {
            ParquetExport export = ParquetExport.write(connection, exportRoot.orElseThrow(), job.dataset(),
                    job.partition(), job.loadId());
            tables.wroteAside(export);
            target = Optional.of(export.target());
        }
        return new LoadOutcome(counts.inserted(), counts.deleted(), Instant.now(), target, checks,
                counts.sourceSchema(), counts.tableSchema());
    }

    /**
     * For several loads of {@code dataset} (replace-partition) in one transaction: deletes the rows of all their
     * partitions with one statement before the first load, so each load then only inserts. The partitions must be
     * distinct, as loads of one partition never share a transaction.
     */
    static void clearPartitions(Connection connection, Dataset dataset, List<Partition> partitions,
            TableMemo tables) throws SQLException {
        tables.ensure(connection, dataset.table(), dataset.columns().orElseThrow());
        tables.clear(connection, dataset.table(), dataset.partitioning().orElseThrow().column(),
                partitions.stream().map(Partition::value).toList());
    }

    /**
     * After {@link #clearPartitions}: inserts the rows of all of {@code jobs} (those loads of {@code dataset}) with
     * one statement per {@link GroupInsert#LOADS_PER_STATEMENT} loads, so each {@link #apply} then only counts and
     * checks. Returns false, inserting nothing, when a load's source was not described before its turn (the load
     * then describes and inserts on its own). Throws {@link GroupInsert.RowsOutsidePartitions} when the rows cannot
     * be told apart by partition: the caller's transaction must then be rolled back.
     */
    static boolean insertTogether(Connection connection, Dataset dataset, List<LoadJob> jobs, TableMemo tables)
            throws SQLException {
        if (jobs.stream().anyMatch(job -> job.sourceSchema().isEmpty())) {
            return false;
        }
        GroupInsert.insert(connection, dataset, jobs, tables);
        return true;
    }
}
