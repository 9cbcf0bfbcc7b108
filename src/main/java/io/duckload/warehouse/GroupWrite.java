package io.duckload.warehouse;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.LoadMode;

/**
 * The file's part of a commit: the loads of one transaction written on the writer, a group of one when group commit
 * is off. Per dataset with several replace-partition loads, one statement deletes their partitions' rows and one
 * inserts the new ones; then each load is counted and checked and its export written aside ({@link PartitionWrite}),
 * and each gets its ledger row. The writer moves the exports into place just before the commit and discards them
 * when the transaction rolls back.
 */
@ApplicationScoped
public class GroupWrite {

    private static final Logger LOG = Logger.getLogger(GroupWrite.class);

    private final Writer writer;
    private final Ledger ledger;
    private final Optional<Path> exportRoot;
    /** Datasets whose loads wrote rows outside their partitions: each of their loads inserts on its own. */
    private final Set<String> scattered = ConcurrentHashMap.newKeySet();

    public GroupWrite(Writer writer, Ledger ledger, DuckloadConfig config) {
        this.writer = writer;
        this.ledger = ledger;
        this.exportRoot = config.exportRoot();
    }

    /**
     * Writes {@code jobs} inside the caller's transaction, on the writer, and returns what each changed, in order.
     * A failed {@code error} check throws {@code CHECK_FAILED}: the transaction must then be rolled back.
     */
    public List<LoadOutcome> write(Connection connection, List<LoadJob> jobs) throws SQLException {
        TableMemo tables = writer.tableMemo();
        replaceTogether(connection, jobs, tables);
        List<LoadOutcome> outcomes = new ArrayList<>(jobs.size());
        List<Ledger.Entry> rows = new ArrayList<>(jobs.size());
        for (LoadJob job : jobs) {
            LoadOutcome outcome = PartitionWrite.apply(connection, job, exportRoot, tables)
                    .writtenFrom(writer.unitStartedAt());
            outcomes.add(outcome);
            rows.add(new Ledger.Entry(job, outcome));
        }
        ledger.record(connection, rows);
        return outcomes;
    }

    /**
     * Replaces the partitions of the datasets with several loads here: one statement deletes their old rows and one
     * inserts their new ones, instead of two per load. A dataset whose loads wrote rows outside their partitions
     * once keeps to one insert per load from then on.
     */
    private void replaceTogether(Connection connection, List<LoadJob> jobs, TableMemo tables) throws SQLException {
        Map<Dataset, List<LoadJob>> byDataset = new LinkedHashMap<>();
        for (LoadJob job : jobs) {
            if (job.dataset().mode() == LoadMode.REPLACE_PARTITION && job.partition().isPresent()) {
                byDataset.computeIfAbsent(job.dataset(), d -> new ArrayList<>()).add(job);
            }
        }
        for (var entry : byDataset.entrySet()) {
            Dataset dataset = entry.getKey();
            if (entry.getValue().size() > 1) {
                PartitionWrite.clearPartitions(connection, dataset,
                        entry.getValue().stream().map(job -> job.partition().orElseThrow()).toList(), tables);
                if (!scattered.contains(dataset.name())) {
                    insertTogether(connection, dataset, entry.getValue(), tables);
                }
            }
        }
    }

    private void insertTogether(Connection connection, Dataset dataset, List<LoadJob> jobs, TableMemo tables)
            throws SQLException {
        try {
            PartitionWrite.insertTogether(connection, dataset, jobs, tables);
        } catch (GroupInsert.RowsOutsidePartitions e) {
            scattered.add(dataset.name());
            LOG.infof("Dataset %s: %s", dataset.name(), e.getMessage());
            throw e;
        }
    }
}
