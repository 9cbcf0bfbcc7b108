package io.duckload.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.Granularity;
import io.duckload.catalog.LoadMode;
import io.duckload.catalog.Partition;
import io.duckload.catalog.PartitionScheme;
import io.duckload.catalog.SourceFormat;
import io.duckload.catalog.Template;
import io.duckload.source.StagedSource;
import io.duckload.testing.Fixtures;

/**
 * Sources described off the writer, on real files: the columns are those the writer's own connection sees (parquet
 * and CSV with the dataset's reader options), a load given them records that fingerprint, and a file that cannot be
 * described is left for the writer (which then reports it, as before).
 */
class SourceInspectorTest {

    @TempDir
    Path dir;

    private final SourceInspector inspector = new SourceInspector();

    @AfterEach
    void close() throws SQLException {
        inspector.close();
    }

    @Test
    void aParquetFileIsDescribedAsTheWritersConnectionSeesIt() throws SQLException {
        Path file = Fixtures.tripsParquet(dir.resolve("trips.parquet"), "2023-01", 10);
        StagedSource source = staged(file, SourceFormat.PARQUET);
        Dataset dataset = dataset(SourceFormat.PARQUET, Optional.empty(), "select VendorID, {partition_value} from {source}");

        SourceSchema described = inspector.describe(dataset, source).orElseThrow();

        try (Connection connection = Fixtures.open(dir.resolve("writer.duckdb"))) {
            assertThat(described).isEqualTo(SourceSchema.describe(connection, dataset, source));
        }
        assertThat(described.columns()).containsKeys("VendorID", "PULocationID", "tpep_pickup_datetime");
    }

    @Test
    void aCsvFileIsDescribedWithTheDatasetsReaderOptions() throws Exception {
        Path file = Files.writeString(dir.resolve("zones.csv"), "a;b\n1;x\n2;y\n");
        Dataset semicolons = dataset(SourceFormat.CSV, Optional.of("delim = ';'"),
                "select a, {partition_value} from {source}");

        SourceSchema described = inspector.describe(semicolons, staged(file, SourceFormat.CSV)).orElseThrow();

        assertThat(described.columns()).containsOnlyKeys("a", "b");
    }

    @Test
    void aLoadGivenTheDescriptionRecordsItsFingerprint() throws SQLException {
        Path file = Fixtures.tripsParquet(dir.resolve("trips.parquet"), "2023-01", 10);
        Dataset dataset = dataset(SourceFormat.PARQUET, Optional.empty(),
                "select VendorID, {partition_value} from {source}");
        StagedSource source = staged(file, SourceFormat.PARQUET);
        Partition january = new Partition("2023-01-01", LocalDate.of(2023, 1, 1), LocalDate.of(2023, 2, 1), "2023-01");
        LoadJob job = new LoadJob("load-1", "request-1", dataset, Optional.of(january), source, Instant.now());
        SourceSchema described = inspector.describe(dataset, source).orElseThrow();

        LoadOutcome outcome;
        try (Connection connection = Fixtures.open(dir.resolve("writer.duckdb"))) {
            outcome = PartitionWrite.apply(connection, job.described(described), Optional.empty(), new TableMemo());
        }

        assertThat(outcome.rowsInserted()).isEqualTo(10);
        assertThat(outcome.sourceSchema()).isEqualTo(described.fingerprint()).startsWith("sha256:");
    }

    @Test
    void aFileThatCannotBeDescribedIsLeftToTheWriter() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.parquet"), "not a parquet file");
        Dataset dataset = dataset(SourceFormat.PARQUET, Optional.empty(), "select 1, {partition_value} from {source}");

        assertThat(inspector.describe(dataset, staged(broken, SourceFormat.PARQUET))).isEmpty();
        assertThat(inspector.describe(dataset, staged(dir.resolve("absent.parquet"), SourceFormat.PARQUET))).isEmpty();
    }

    @Test
    void aKeptConnectionDescribesEachFileAsItIsNotAsTheFileBefore() throws Exception {
        Path trips = Fixtures.tripsParquet(dir.resolve("trips.parquet"), "2023-01", 10);
        Path other = dir.resolve("other.parquet");
        try (Connection connection = Fixtures.open(dir.resolve("scratch.duckdb"));
                var statement = connection.createStatement()) {
            statement.execute("COPY (SELECT 1::BIGINT AS a, 'x' AS b) TO '" + other + "' (FORMAT parquet)");
        }
        Dataset dataset = dataset(SourceFormat.PARQUET, Optional.empty(), "select 1, {partition_value} from {source}");

        for (int round = 0; round < 3; round++) {
            assertThat(inspector.describe(dataset, staged(trips, SourceFormat.PARQUET)).orElseThrow().columns())
                    .containsKeys("VendorID", "tpep_pickup_datetime").doesNotContainKey("a");
            assertThat(inspector.describe(dataset, staged(other, SourceFormat.PARQUET)).orElseThrow().columns())
                    .containsExactly(entry("a", "BIGINT"), entry("b", "VARCHAR"));
        }
        // One describe at a time: one connection, kept.
        assertThat(inspector.idleConnections()).isEqualTo(1);
    }

    @Test
    void describesAtOnceEachGetTheirOwnFileAndAtMostAFewConnectionsStay() throws Exception {
        Dataset dataset = dataset(SourceFormat.PARQUET, Optional.empty(), "select 1, {partition_value} from {source}");
        List<Path> files = new ArrayList<>();
        try (Connection connection = Fixtures.open(dir.resolve("scratch.duckdb"));
                var statement = connection.createStatement()) {
            for (int i = 0; i < 16; i++) {
                Path file = dir.resolve("f" + i + ".parquet");
                statement.execute("COPY (SELECT 1 AS c" + i + ") TO '" + file + "' (FORMAT parquet)");
                files.add(file);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(SourceInspector.IDLE_CONNECTIONS * 2);
        try {
            for (int round = 0; round < 5; round++) {
                List<Future<Optional<SourceSchema>>> described = new ArrayList<>();
                for (Path file : files) {
                    described.add(pool.submit(() -> inspector.describe(dataset, staged(file, SourceFormat.PARQUET))));
                }
                for (int i = 0; i < files.size(); i++) {
                    assertThat(described.get(i).get(1, TimeUnit.MINUTES).orElseThrow().columns())
                            .containsOnlyKeys("c" + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(inspector.idleConnections()).isBetween(1, SourceInspector.IDLE_CONNECTIONS);
    }

    @Test
    void aConnectionWhoseDescribeFailedIsNotKept() throws Exception {
        Path good = Fixtures.tripsParquet(dir.resolve("trips.parquet"), "2023-01", 10);
        Path broken = Files.writeString(dir.resolve("broken.parquet"), "not a parquet file");
        Dataset dataset = dataset(SourceFormat.PARQUET, Optional.empty(), "select 1, {partition_value} from {source}");
        assertThat(inspector.describe(dataset, staged(good, SourceFormat.PARQUET))).isPresent();
        assertThat(inspector.idleConnections()).isEqualTo(1);

        assertThat(inspector.describe(dataset, staged(broken, SourceFormat.PARQUET))).isEmpty();

        assertThat(inspector.idleConnections()).isZero();
        assertThat(inspector.describe(dataset, staged(good, SourceFormat.PARQUET))).isPresent();
    }

    private static StagedSource staged(Path file, SourceFormat format) {
        return new StagedSource(file.toUri().toString(), file, 1, "0", null, format, true);
    }

    private static Dataset dataset(SourceFormat format, Optional<String> readerOptions, String select) {
        PartitionScheme monthly = new PartitionScheme(Granularity.MONTHLY, LocalDate.of(2023, 1, 1),
                Optional.empty(), "partition_date", DateTimeFormatter.ofPattern("yyyy-MM"));
        return new Dataset("trips", "trips", Optional.of("vendor_id integer, partition_date varchar"),
                LoadMode.REPLACE_PARTITION, Optional.of(monthly),
                Template.parse("source", "/trips_{YYYY-MM}.parquet", Set.of("YYYY-MM")), Optional.of(format),
                readerOptions, Template.parse("select", select, Set.of("source", "partition_value")));
    }
}
