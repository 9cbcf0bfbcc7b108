package io.duckload.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.agroal.api.AgroalDataSource;
import io.duckload.catalog.Dataset;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.Granularity;
import io.duckload.catalog.LoadMode;
import io.duckload.catalog.Partition;
import io.duckload.catalog.PartitionScheme;
import io.duckload.catalog.SchemaEvolution;
import io.duckload.catalog.SourceFormat;
import io.duckload.catalog.TableColumns;
import io.duckload.catalog.Template;
import io.duckload.failure.Pause;
import io.duckload.source.StagedSource;
import io.duckload.testing.DefaultConfig;
import io.duckload.testing.DuckDbPool;
import io.duckload.testing.Fixtures;

/**
 * Many partitions written in one transaction, as a group commit does: they share one {@link TableMemo} (the table
 * made sure of and its fingerprint read once) and one append of their ledger rows, more loads than one combined
 * insert takes ({@link GroupInsert#LOADS_PER_STATEMENT}); each load still counts and records its own rows. On a real
 * DuckDB file.
 */
class GroupWriteTest {

    private static final String COLUMNS = "id integer, amount double, month varchar";
    private static final int LOADS = GroupInsert.LOADS_PER_STATEMENT + 9;

    @TempDir
    Path dir;

    @Test
    void loadsOfOneTransactionShareTheTableFactsAndKeepTheirOwnCounts() throws SQLException {
        Path database = dir.resolve("group.duckdb");
        Path file = Fixtures.parquet(dir.resolve("rows.parquet"),
                "SELECT range::INTEGER AS id, range * 1.5 AS amount FROM range(3)");
        Dataset dataset = dataset();
        // The table does not exist yet: the first load of the group creates it, the others find it.
        List<LoadOutcome> first = write(database, dataset, file, 0, LOADS);
        // A second group replaces three months again, each load deleting its own rows.
        List<LoadOutcome> second = write(database, dataset, file, 0, 3);
        // A third group deletes the rows of its partitions together first (two held rows, one is new).
        List<LoadOutcome> third = writeClearedTogether(database, dataset, file, List.of(month(1), month(2),
                month(LOADS)));

        String fingerprint;
        try (Connection connection = Fixtures.open(database)) {
            fingerprint = TableEvolution.fingerprint(connection, "amounts");
        }
        assertThat(first).allSatisfy(outcome -> {
            assertThat(outcome.rowsInserted()).isEqualTo(3);
            assertThat(outcome.rowsDeleted()).isZero();
            assertThat(outcome.tableSchema()).isEqualTo(fingerprint);
        });
        assertThat(second).allSatisfy(outcome -> assertThat(outcome.rowsDeleted()).isEqualTo(3));
        assertThat(third).extracting(LoadOutcome::rowsDeleted).containsExactly(3L, 3L, 0L);
        assertThat(third).extracting(LoadOutcome::rowsInserted).containsExactly(3L, 3L, 3L);
        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM amounts")).isEqualTo(3L * (LOADS + 1));
        assertThat(Fixtures.queryLong(database, "SELECT count(DISTINCT month) FROM amounts")).isEqualTo(LOADS + 1);
        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM duckload_loads")).isEqualTo(LOADS + 6L);
        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM duckload_loads WHERE rows_inserted = 3"
                + " AND table_schema = ? AND load_id = 'load-1-' || partition_value", fingerprint)).isEqualTo(LOADS);
        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM duckload_loads WHERE rows_deleted = 3"))
                .isEqualTo(5);
    }

    @Test
    void exportsWaitAsideUntilTheTransactionPublishesThem() throws SQLException, IOException {
        Path database = dir.resolve("export.duckdb");
        Path root = dir.resolve("export");
        Path file = Fixtures.parquet(dir.resolve("export-rows.parquet"),
                "SELECT range::INTEGER AS id, range * 1.5 AS amount FROM range(4)");
        Dataset exported = exporting(dataset());
        Path target = root.resolve("amounts/month=2020-01/data.parquet");
        try (Connection connection = Fixtures.open(database)) {
            connection.setAutoCommit(false);
            TableMemo published = new TableMemo();
            LoadOutcome outcome = PartitionWrite.apply(connection, job("published", exported, month(0), file),
                    Optional.of(root), published);
            assertThat(outcome.export()).contains(target);
            assertThat(target).doesNotExist();
            published.publishAside();
            connection.commit();
            assertThat(target).exists();

            TableMemo discarded = new TableMemo();
            PartitionWrite.apply(connection, job("discarded", exported, month(1), file), Optional.of(root),
                    discarded);
            Path other = root.resolve("amounts/month=2020-02");
            assertThat(Files.list(other)).hasSize(1);
            discarded.discardAside();
            connection.rollback();
            assertThat(Files.list(other)).isEmpty();
        }
    }

    @Test
    void theWriterPublishesAUnitsExportsAtItsCommitAndDiscardsThemAtItsRollback() throws Exception {
        Path database = dir.resolve("writer-export.duckdb");
        Path root = dir.resolve("writer-export");
        Path file = Fixtures.parquet(dir.resolve("writer-export-rows.parquet"),
                "SELECT range::INTEGER AS id, range * 1.5 AS amount FROM range(2)");
        Dataset exported = exporting(dataset());
        DuckloadConfig config = DefaultConfig.of(database);
        try (AgroalDataSource pool = DuckDbPool.of(database)) {
            Writer writer = new Writer(pool, config, new StorageVersion(config), Pause.real(), Clock.systemUTC());
            try {
                LoadOutcome committed = writer.load(connection -> PartitionWrite.apply(connection,
                        job("committed", exported, month(0), file), Optional.of(root), writer.tableMemo()),
                        outcome -> assertThat(outcome.export().orElseThrow()).exists()).get(30, TimeUnit.SECONDS);
                assertThat(committed.export()).contains(root.resolve("amounts/month=2020-01/data.parquet"));

                CompletableFuture<LoadOutcome> rolledBack = writer.load(connection -> {
                    PartitionWrite.apply(connection, job("rolled-back", exported, month(1), file), Optional.of(root),
                            writer.tableMemo());
                    throw new IllegalStateException("a later statement of the unit failed");
                }, outcome -> {
                });
                assertThatThrownBy(() -> rolledBack.get(30, TimeUnit.SECONDS))
                        .hasMessageContaining("a later statement of the unit failed");
                assertThat(root.resolve("amounts/month=2020-02")).isEmptyDirectory();
            } finally {
                writer.stop();
            }
        }
    }

    @Test
    void loadsInsertedTogetherKeepTheirOwnCounts() throws SQLException {
        Path database = dir.resolve("together.duckdb");
        Dataset dataset = dataset();
        // More loads than one combined statement takes, each month's file with its own number of rows.
        int loads = GroupInsert.LOADS_PER_STATEMENT + 5;
        List<LoadJob> jobs = new ArrayList<>();
        try (Connection connection = Fixtures.open(database)) {
            for (int i = 0; i < loads; i++) {
                jobs.add(described(connection, dataset, month(i), rowsFile(i, 1 + i % 7)));
            }
        }
        // Months 0 and 1 hold rows already, which the group's clear removes and counts as deleted.
        write(database, dataset, rowsFile(1000, 3), 0, 2);

        List<LoadOutcome> outcomes = new ArrayList<>();
        try (Connection connection = Fixtures.open(database)) {
            connection.setAutoCommit(false);
            TableMemo tables = new TableMemo();
            PartitionWrite.clearPartitions(connection, dataset, jobs.stream().map(j -> j.partition().get()).toList(),
                    tables);
            assertThat(PartitionWrite.insertTogether(connection, dataset, jobs, tables)).isTrue();
            for (LoadJob job : jobs) {
                outcomes.add(PartitionWrite.apply(connection, job, Optional.empty(), tables));
            }
            connection.commit();
        }

        for (int i = 0; i < loads; i++) {
            assertThat(outcomes.get(i).rowsInserted()).as("month %d", i).isEqualTo(1 + i % 7);
            assertThat(outcomes.get(i).rowsDeleted()).as("month %d", i).isEqualTo(i < 2 ? 3 : 0);
            assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM amounts WHERE month = ?",
                    month(i).value())).isEqualTo(1 + i % 7);
        }
        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM amounts"))
                .isEqualTo(outcomes.stream().mapToLong(LoadOutcome::rowsInserted).sum());
    }

    @Test
    void rowsOutsideTheirPartitionsAreRefusedAndNothingIsKept() throws SQLException {
        Path database = dir.resolve("scattered.duckdb");
        Dataset dataset = dataset("select id, amount, '2099-01' from {source}");
        // Month 0 holds three rows, which the rolled-back group must leave in place.
        write(database, dataset(), rowsFile(1000, 3), 0, 1);
        List<LoadJob> jobs = new ArrayList<>();
        try (Connection connection = Fixtures.open(database)) {
            for (int i = 0; i < 3; i++) {
                jobs.add(described(connection, dataset, month(i), rowsFile(i, 2)));
            }
            connection.setAutoCommit(false);
            TableMemo tables = new TableMemo();
            PartitionWrite.clearPartitions(connection, dataset, jobs.stream().map(j -> j.partition().get()).toList(),
                    tables);
            assertThatThrownBy(() -> PartitionWrite.insertTogether(connection, dataset, jobs, tables))
                    .isInstanceOf(GroupInsert.RowsOutsidePartitions.class)
                    .hasMessageContaining("6 row(s) outside their partitions");
            connection.rollback();
        }
        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM amounts WHERE month = ?", month(0).value()))
                .isEqualTo(3);
        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM amounts")).isEqualTo(3);
    }

    @Test
    void loadsWhoseSourcesWereNotDescribedInsertOnTheirOwn() throws SQLException {
        Path database = dir.resolve("undescribed.duckdb");
        Dataset dataset = dataset();
        Path file = rowsFile(0, 2);
        List<LoadJob> jobs = List.of(
                new LoadJob("load-u-0", "request-u-0", dataset, Optional.of(month(0)), staged(file), Instant.now()),
                new LoadJob("load-u-1", "request-u-1", dataset, Optional.of(month(1)), staged(file), Instant.now()));
        try (Connection connection = Fixtures.open(database)) {
            connection.setAutoCommit(false);
            TableMemo tables = new TableMemo();
            PartitionWrite.clearPartitions(connection, dataset, List.of(month(0), month(1)), tables);
            assertThat(PartitionWrite.insertTogether(connection, dataset, jobs, tables)).isFalse();
            for (LoadJob job : jobs) {
                assertThat(PartitionWrite.apply(connection, job, Optional.empty(), tables).rowsInserted())
                        .isEqualTo(2);
            }
            connection.commit();
        }
        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM amounts")).isEqualTo(4);
    }

    private Path rowsFile(int index, int rows) {
        return Fixtures.parquet(dir.resolve("rows-" + index + "-" + rows + ".parquet"),
                "SELECT range::INTEGER AS id, range * 1.5 AS amount FROM range(" + rows + ")");
    }

    private static LoadJob described(Connection connection, Dataset dataset, Partition month, Path file)
            throws SQLException {
        StagedSource source = staged(file);
        return new LoadJob("load-t-" + month.value(), "request-t-" + month.value(), dataset, Optional.of(month),
                source, Instant.now()).described(SourceSchema.describe(connection, dataset, source));
    }

    private static StagedSource staged(Path file) {
        return new StagedSource(file.toString(), file, 1, "0", null, SourceFormat.PARQUET, false);
    }

    /** Loads months {@code from} .. {@code from + count - 1} in one transaction; their outcomes in order. */
    private static List<LoadOutcome> write(Path database, Dataset dataset, Path file, int from, int count)
            throws SQLException {
        List<LoadOutcome> outcomes = new ArrayList<>();
        List<Ledger.Entry> entries = new ArrayList<>();
        try (Connection connection = Fixtures.open(database)) {
            Ledger ledger = new Ledger(new ObjectMapper());
            ledger.create(connection);
            connection.setAutoCommit(false);
            TableMemo tables = new TableMemo();
            String group = count == LOADS ? "1" : "2";
            for (int i = from; i < from + count; i++) {
                Partition month = month(i);
                LoadJob job = new LoadJob("load-" + group + "-" + month.value(), "request-" + group + "-" + i,
                        dataset, Optional.of(month),
                        new StagedSource(file.toString(), file, 1, "0", null, SourceFormat.PARQUET, false),
                        Instant.now());
                LoadOutcome outcome = PartitionWrite.apply(connection, job, Optional.empty(), tables);
                entries.add(new Ledger.Entry(job, outcome));
                outcomes.add(outcome);
            }
            ledger.record(connection, entries);
            connection.commit();
        }
        return outcomes;
    }

    /** Loads {@code months} in one transaction that deletes their old rows together first; outcomes in order. */
    private static List<LoadOutcome> writeClearedTogether(Path database, Dataset dataset, Path file,
            List<Partition> months) throws SQLException {
        List<LoadOutcome> outcomes = new ArrayList<>();
        try (Connection connection = Fixtures.open(database)) {
            connection.setAutoCommit(false);
            TableMemo tables = new TableMemo();
            PartitionWrite.clearPartitions(connection, dataset, months, tables);
            List<Ledger.Entry> entries = new ArrayList<>();
            for (Partition month : months) {
                LoadJob job = new LoadJob("load-3-" + month.value(), "request-3-" + month.value(), dataset,
                        Optional.of(month),
                        new StagedSource(file.toString(), file, 1, "0", null, SourceFormat.PARQUET, false),
                        Instant.now());
                LoadOutcome outcome = PartitionWrite.apply(connection, job, Optional.empty(), tables);
                entries.add(new Ledger.Entry(job, outcome));
                outcomes.add(outcome);
            }
            new Ledger(new ObjectMapper()).record(connection, entries);
            connection.commit();
        }
        return outcomes;
    }

    private static Partition month(int index) {
        LocalDate start = LocalDate.of(2020, 1, 1).plusMonths(index);
        return new Partition(start.toString(), start, start.plusMonths(1),
                start.format(DateTimeFormatter.ofPattern("yyyy-MM")));
    }

    private static Dataset dataset() {
        return dataset("select id, amount, {partition_value} from {source}");
    }

    private static Dataset dataset(String select) {
        PartitionScheme monthly = new PartitionScheme(Granularity.MONTHLY, LocalDate.of(2020, 1, 1),
                Optional.empty(), "month", DateTimeFormatter.ofPattern("yyyy-MM"));
        return new Dataset("amounts", "amounts", Optional.of(COLUMNS), LoadMode.REPLACE_PARTITION,
                Optional.of(monthly), Template.parse("source", "/amounts_{YYYY-MM}.parquet", Set.of("YYYY-MM")),
                Optional.of(SourceFormat.PARQUET), Optional.empty(),
                Template.parse("select", select, Set.of("source", "partition_value")))
                .withDeclaredColumns(TableColumns.declare("duckload.datasets.amounts.columns", "amounts", COLUMNS),
                        SchemaEvolution.ADDITIVE);
    }

    private static LoadJob job(String id, Dataset dataset, Partition month, Path file) {
        return new LoadJob("load-" + id, "request-" + id, dataset, Optional.of(month),
                new StagedSource(file.toString(), file, 1, "0", null, SourceFormat.PARQUET, false), Instant.now());
    }

    private static Dataset exporting(Dataset dataset) {
        return new Dataset(dataset.name(), dataset.table(), dataset.columns(), dataset.mode(), dataset.partitioning(),
                dataset.source(), dataset.format(), dataset.readerOptions(), dataset.select(), true,
                dataset.dbtSelect(), dataset.checks(), dataset.optionalSourceColumns(), dataset.declaredColumns(),
                dataset.schemaEvolution());
    }
}
