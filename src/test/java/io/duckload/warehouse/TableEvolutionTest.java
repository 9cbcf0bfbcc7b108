package io.duckload.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.catalog.CatalogException;
import io.duckload.catalog.Dataset;
import io.duckload.catalog.Granularity;
import io.duckload.catalog.LoadMode;
import io.duckload.catalog.Partition;
import io.duckload.catalog.PartitionScheme;
import io.duckload.catalog.SchemaEvolution;
import io.duckload.catalog.SourceFormat;
import io.duckload.catalog.TableColumns;
import io.duckload.catalog.Template;
import io.duckload.source.StagedSource;
import io.duckload.testing.Fixtures;

/**
 * Tables that follow the catalog, on real DuckDB files: each test starts from a file whose {@code trips} table has
 * the old columns and rows of 2023-01, then makes it follow changed declared columns as the writer does at start.
 */
class TableEvolutionTest {

    private static final String KEY = "duckload.datasets.taxi_trips.columns";
    private static final String OLD = "vendor_id integer, total_amount double, tip double, partition_date varchar";

    @TempDir
    Path dir;

    @Test
    void anAddedColumnIsAddedOldRowsReadNullAndANewLoadFillsIt() throws SQLException {
        Path database = fileWithOldTrips(OLD);
        // Declared in the middle: ADD COLUMN appends it, the insert still maps the select by declared order.
        Dataset added = dataset("vendor_id integer, total_amount double, tip double, airport_fee double,"
                + " partition_date varchar", SchemaEvolution.ADDITIVE,
                "select VendorID, total_amount, tip, airport_fee, {partition_value} from {source}");
        String before = fingerprint(database);

        follow(database, added);

        assertThat(columns(database)).containsExactly("vendor_id INTEGER", "total_amount DOUBLE", "tip DOUBLE",
                "partition_date VARCHAR", "airport_fee DOUBLE");
        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM trips WHERE partition_date = '2023-01'"
                + " AND airport_fee IS NULL AND total_amount = 10.5")).isEqualTo(2);

        Path file = Fixtures.parquet(dir.resolve("trips_2023-02.parquet"), "SELECT 7 AS VendorID,"
                + " 20.25::DOUBLE AS total_amount, 1.5::DOUBLE AS tip, 1.75::DOUBLE AS airport_fee FROM range(3)");
        LoadOutcome outcome;
        try (Connection connection = Fixtures.open(database)) {
            connection.setAutoCommit(false);
            Ledger ledger = new Ledger(new ObjectMapper());
            ledger.create(connection);
            LoadJob job = new LoadJob("load-2", "req-2", added, Optional.of(february()),
                    new StagedSource(file.toString(), file, 1, "0", null, SourceFormat.PARQUET, false),
                    Instant.now());
            outcome = PartitionWrite.apply(connection, job, Optional.empty(), new TableMemo());
            ledger.record(connection, job, outcome);
            connection.commit();
        }

        assertThat(outcome.rowsInserted()).isEqualTo(3);
        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM trips WHERE partition_date = '2023-02'"
                + " AND vendor_id = 7 AND total_amount = 20.25 AND tip = 1.5 AND airport_fee = 1.75")).isEqualTo(3);
        assertThat(outcome.tableSchema()).isEqualTo(fingerprint(database)).isNotEqualTo(before)
                .matches("sha256:[0-9a-f]{64}");
        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM duckload_loads WHERE load_id = 'load-2'"
                + " AND table_schema = ?", outcome.tableSchema())).isEqualTo(1);
    }

    @Test
    void aWidenedTypeIsAppliedAndTheRowsKeepTheirValues() throws SQLException {
        Path database = fileWithOldTrips("vendor_id smallint, total_amount float, tip float, partition_date varchar");

        follow(database, dataset("vendor_id int4, total_amount double, tip double, partition_date varchar(7)",
                SchemaEvolution.ADDITIVE));

        assertThat(columns(database)).containsExactly("vendor_id INTEGER", "total_amount DOUBLE", "tip DOUBLE",
                "partition_date VARCHAR");
        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM trips WHERE vendor_id = 1"
                + " AND total_amount = 10.5 AND tip = 2.25 AND partition_date = '2023-01'")).isEqualTo(1);
    }

    @Test
    void typesSpelledDifferentlyAreNoChange() throws SQLException {
        Path database = fileWithOldTrips(OLD);
        String before = fingerprint(database);

        follow(database, dataset("vendor_id int, total_amount float8, tip double precision, partition_date text",
                SchemaEvolution.ADDITIVE));

        assertThat(fingerprint(database)).isEqualTo(before);
    }

    @Test
    void aDroppedColumnStopsTheStartNamingTheKeyAndTheStatement() throws SQLException {
        Path database = fileWithOldTrips(OLD);
        Map<String, String> before = Fixtures.snapshot(database);

        assertThatThrownBy(() -> follow(database,
                dataset("vendor_id integer, total_amount double, partition_date varchar", SchemaEvolution.ADDITIVE)))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("Invalid dataset catalog: " + KEY + ": table \"trips\" cannot follow them")
                .hasMessageContaining("column \"tip\" DOUBLE is in the table but not declared")
                .hasMessageContaining("\n  ALTER TABLE \"trips\" DROP COLUMN \"tip\";\n")
                .hasMessageContaining("duckload.datasets.taxi_trips.schema-evolution=recreate")
                .message().doesNotContain("RENAME");
        assertThat(Fixtures.snapshot(database)).as("the file is unchanged").isEqualTo(before);
    }

    @Test
    void aRenamedColumnStopsTheStartAndTheRenameItNamesLetsItFollow() throws SQLException {
        Path database = fileWithOldTrips(OLD);
        Dataset renamed = dataset("vendor_id integer, total_amount double, tip_amount double, partition_date varchar",
                SchemaEvolution.ADDITIVE);

        String rename = "ALTER TABLE \"trips\" RENAME COLUMN \"tip\" TO \"tip_amount\";";
        assertThatThrownBy(() -> follow(database, renamed)).isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("Invalid dataset catalog: " + KEY + ": ")
                .hasMessageContaining("ALTER TABLE \"trips\" DROP COLUMN \"tip\";")
                .hasMessageContaining("-- or, if it was renamed to tip_amount: " + rename);
        assertThat(columns(database)).contains("tip DOUBLE").doesNotContain("tip_amount DOUBLE");

        execute(database, rename);
        follow(database, renamed);

        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM trips WHERE tip_amount = 2.25")).isEqualTo(1);
    }

    @Test
    void aNarrowedColumnStopsTheStartNamingTheKeyAndTheStatement() throws SQLException {
        Path database = fileWithOldTrips(OLD);

        assertThatThrownBy(() -> follow(database, dataset(
                "vendor_id smallint, total_amount float, tip double, partition_date varchar", SchemaEvolution.ADDITIVE)))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("Invalid dataset catalog: " + KEY + ": ")
                .hasMessageContaining("column \"vendor_id\" is INTEGER in the table, declared SMALLINT")
                .hasMessageContaining("column \"total_amount\" is DOUBLE in the table, declared FLOAT")
                .hasMessageContaining("  ALTER TABLE \"trips\" ALTER COLUMN \"vendor_id\" TYPE SMALLINT;\n")
                .hasMessageContaining("  ALTER TABLE \"trips\" ALTER COLUMN \"total_amount\" TYPE FLOAT;\n");
        assertThat(columns(database)).contains("vendor_id INTEGER", "total_amount DOUBLE");
    }

    @Test
    void anotherTypeChangeStopsTheStart() throws SQLException {
        Path database = fileWithOldTrips(OLD);

        assertThatThrownBy(() -> follow(database, dataset(
                "vendor_id varchar, total_amount double, tip double, partition_date varchar", SchemaEvolution.ADDITIVE)))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("  ALTER TABLE \"trips\" ALTER COLUMN \"vendor_id\" TYPE VARCHAR;");
    }

    @Test
    void withTheRecreateOptInTheTableIsRecreatedWithoutItsRows() throws SQLException {
        Path database = fileWithOldTrips(OLD);

        follow(database, dataset("vendor_id integer, total_amount float, partition_date varchar",
                SchemaEvolution.RECREATE));

        assertThat(columns(database)).containsExactly("vendor_id INTEGER", "total_amount FLOAT",
                "partition_date VARCHAR");
        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM trips")).isZero();
    }

    @Test
    void withTheRecreateOptInAnAddedColumnStillKeepsTheRows() throws SQLException {
        Path database = fileWithOldTrips(OLD);

        follow(database, dataset(OLD + ", airport_fee double", SchemaEvolution.RECREATE));

        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM trips WHERE airport_fee IS NULL"))
                .isEqualTo(2);
    }

    @Test
    void anAddedNotNullColumnWithADefaultFillsTheOldRowsWithoutOneItStopsTheStart() throws SQLException {
        Path database = fileWithOldTrips(OLD);

        follow(database, dataset(OLD + ", currency varchar not null default 'USD'", SchemaEvolution.ADDITIVE));
        assertThat(Fixtures.queryLong(database, "SELECT count(*) FROM trips WHERE currency = 'USD'")).isEqualTo(2);

        assertThatThrownBy(() -> follow(database, dataset(OLD + ", currency varchar not null default 'USD',"
                + " store_flag boolean not null", SchemaEvolution.ADDITIVE)))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("added column \"store_flag\" is NOT NULL without a default")
                .hasMessageContaining("  ALTER TABLE \"trips\" ADD COLUMN \"store_flag\" BOOLEAN;\n"
                        + "  UPDATE \"trips\" SET \"store_flag\" = <value>;\n"
                        + "  ALTER TABLE \"trips\" ALTER COLUMN \"store_flag\" SET NOT NULL;\n");
    }

    @Test
    void aMissingTableIsCreated() throws SQLException {
        Path database = dir.resolve("fresh.duckdb");

        follow(database, dataset(OLD, SchemaEvolution.ADDITIVE));

        assertThat(columns(database)).containsExactly("vendor_id INTEGER", "total_amount DOUBLE", "tip DOUBLE",
                "partition_date VARCHAR");
    }

    /** A file whose trips table has {@code columns} and two rows of 2023-01. */
    private Path fileWithOldTrips(String columns) throws SQLException {
        Path database = dir.resolve("duckload.duckdb");
        execute(database, "CREATE TABLE trips (" + columns + ")");
        execute(database, "INSERT INTO trips VALUES (1, 10.5, 2.25, '2023-01'), (2, 10.5, NULL, '2023-01')");
        return database;
    }

    /** Runs {@link TableEvolution#follow} in one transaction, as the writer's start does. */
    private static void follow(Path database, Dataset dataset) throws SQLException {
        try (Connection connection = Fixtures.open(database)) {
            connection.setAutoCommit(false);
            try {
                TableEvolution.follow(connection, dataset);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static Dataset dataset(String columns, SchemaEvolution evolution) {
        return dataset(columns, evolution, "select VendorID, total_amount, tip, {partition_value} from {source}");
    }

    private static Dataset dataset(String columns, SchemaEvolution evolution, String select) {
        PartitionScheme monthly = new PartitionScheme(Granularity.MONTHLY, LocalDate.of(2023, 1, 1),
                Optional.empty(), "partition_date", DateTimeFormatter.ofPattern("yyyy-MM"));
        return new Dataset("taxi_trips", "trips", Optional.of(columns), LoadMode.REPLACE_PARTITION,
                Optional.of(monthly), Template.parse("source", "/trips_{YYYY-MM}.parquet", Set.of("YYYY-MM")),
                Optional.of(SourceFormat.PARQUET), Optional.empty(),
                Template.parse("select", select, Set.of("source", "partition_value")))
                .withDeclaredColumns(TableColumns.declare(KEY, "trips", columns), evolution);
    }

    private static Partition february() {
        return new Partition("2023-02-01", LocalDate.of(2023, 2, 1), LocalDate.of(2023, 3, 1), "2023-02");
    }

    @Test
    void aTablesFingerprintIsThatOfItsColumnsAsTheCatalogListsThemWhateverTheirTypesAndTheTablesName()
            throws SQLException {
        // Fingerprints the ledger and earlier events hold must not change with the way the columns are read.
        Path database = dir.resolve("types.duckdb");
        String table = "we.ird \"t\"";
        execute(database, "CREATE TYPE mood AS ENUM ('sad', 'ok')");
        execute(database, "CREATE TABLE " + Sql.quote(table) + " (a INTEGER, b DECIMAL(18,3), c TIMESTAMPTZ,"
                + " d STRUCT(x INTEGER, \"y z\" VARCHAR), e INTEGER[], f MAP(VARCHAR, DOUBLE), g mood,"
                + " h UNION(n INTEGER, s VARCHAR), i DOUBLE[3], \"Quoted Col\" BIGINT)");
        // As the writer has it: the file attached to an in-memory instance that has a table of the same name.
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + Sql.quote(table) + " (other VARCHAR)");
            statement.execute("ATTACH '" + database + "' AS warehouse");
            statement.execute("USE warehouse");
            Map<String, String> listed = TableEvolution.columns(connection, table);
            assertThat(listed).hasSize(10).containsEntry("d", "STRUCT(x INTEGER, \"y z\" VARCHAR)")
                    .containsEntry("g", "ENUM('sad', 'ok')").containsEntry("Quoted Col", "BIGINT");
            assertThat(TableEvolution.fingerprint(connection, table))
                    .isEqualTo(new SourceSchema(listed).fingerprint());
        }
    }

    private static List<String> columns(Path database) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection connection = Fixtures.open(database)) {
            TableEvolution.columns(connection, "trips").forEach((name, type) -> columns.add(name + " " + type));
        }
        return columns;
    }

    private static String fingerprint(Path database) throws SQLException {
        try (Connection connection = Fixtures.open(database)) {
            return TableEvolution.fingerprint(connection, "trips");
        }
    }

    private static void execute(Path database, String sql) throws SQLException {
        try (Connection connection = Fixtures.open(database); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
