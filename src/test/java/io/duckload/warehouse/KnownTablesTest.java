package io.duckload.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.testing.Fixtures;

/**
 * What the writer's committed transactions learned about partitioned tables (that one exists, its column
 * fingerprint) spares later transactions those statements, on a real DuckDB file; a rolled-back transaction teaches
 * nothing, and a table replaced whole is asked about again.
 */
class KnownTablesTest {

    @TempDir
    Path dir;

    @Test
    void aTableCreatedByARolledBackTransactionIsCreatedAgainByTheNext() throws Exception {
        KnownTables known = new KnownTables();
        try (Connection connection = Fixtures.open(dir.resolve("rolled-back.duckdb"))) {
            connection.setAutoCommit(false);
            new TableMemo(known).ensure(connection, "trips", "day varchar, n integer");
            connection.rollback();
            known.rolledBack();

            new TableMemo(known).ensure(connection, "trips", "day varchar, n integer");
            PartitionLoader.execute(connection, "INSERT INTO trips VALUES ('2024-01-01', 1)");
            connection.commit();
            known.committed();
            assertThat(known.present("trips")).isTrue();
        }
    }

    @Test
    void committedFactsAreNotAskedAgainUntilForgotten() throws Exception {
        KnownTables known = new KnownTables();
        try (Connection connection = Fixtures.open(dir.resolve("known.duckdb"))) {
            String fingerprint = learn(known, connection, "trips", "day varchar, n integer");

            // Behind the writer's back (what only another process could do, while the file is released): the next
            // transaction relies on what it knows, and is wrong, which is why attaching again forgets it.
            PartitionLoader.execute(connection, "ALTER TABLE trips ADD COLUMN extra integer");
            connection.commit();
            assertThat(new TableMemo(known).fingerprint(connection, "trips")).isEqualTo(fingerprint);

            known.forget();
            assertThat(new TableMemo(known).fingerprint(connection, "trips")).isNotEqualTo(fingerprint)
                    .isEqualTo(TableEvolution.fingerprint(connection, "trips"));
            connection.rollback();
        }
    }

    @Test
    void aTableReplacedWholeIsAskedAboutAgain() throws Exception {
        KnownTables known = new KnownTables();
        try (Connection connection = Fixtures.open(dir.resolve("replaced.duckdb"))) {
            learn(known, connection, "zones", "id integer");

            TableMemo replacing = new TableMemo(known);
            replacing.replaced("zones");
            PartitionLoader.execute(connection, "CREATE OR REPLACE TABLE zones (id integer, name varchar)");
            connection.commit();
            known.committed();

            assertThat(known.present("zones")).isFalse();
            assertThat(known.fingerprint("zones")).isNull();
            assertThat(new TableMemo(known).fingerprint(connection, "zones"))
                    .isEqualTo(TableEvolution.fingerprint(connection, "zones"));
        }
    }

    @Test
    void aMemoOnItsOwnKnowsNothingBeforehand() throws Exception {
        try (Connection connection = Fixtures.open(dir.resolve("alone.duckdb"))) {
            new TableMemo().ensure(connection, "trips", "day varchar");
            PartitionLoader.execute(connection, "DROP TABLE trips");
            new TableMemo().ensure(connection, "trips", "day varchar");
            PartitionLoader.execute(connection, "INSERT INTO trips VALUES ('2024-01-01')");
        }
    }

    /** A committed transaction of the writer that makes sure of {@code table} and reads its fingerprint. */
    private static String learn(KnownTables known, Connection connection, String table, String columns)
            throws Exception {
        connection.setAutoCommit(false);
        TableMemo memo = new TableMemo(known);
        memo.ensure(connection, table, columns);
        String fingerprint = memo.fingerprint(connection, table);
        connection.commit();
        known.committed();
        return fingerprint;
    }
}
