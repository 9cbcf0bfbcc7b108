package io.duckload.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.agroal.api.AgroalDataSource;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.testing.DefaultConfig;
import io.duckload.testing.DuckDbPool;
import io.duckload.testing.JavaProgram;
import io.duckload.testing.RecordingPause;

/**
 * The writer's file is attached to an in-memory DuckDB instance that outlives it: released, it is free for another
 * process (which may change it); attached again, the writer sees those changes; readers read beside the writer only
 * while it is attached. The other process is a real one (a single-file program on duckdb_jdbc).
 */
class WriterFileTest {

    @TempDir
    Path dir;

    @Test
    void aReleasedFileIsAnotherProcesssToWriteAndTheNextAttachSeesItsRows() throws Exception {
        Path database = dir.resolve("warehouse.duckdb");
        try (AgroalDataSource pool = DuckDbPool.of(database)) {
            WriterFile file = new WriterFile(pool, config(database), () -> true);
            Connection writer = file.get();
            // As the writer's units do: auto-commit off, one transaction, committed.
            writer.setAutoCommit(false);
            execute(writer, "CREATE TABLE t (id BIGINT)");
            execute(writer, "INSERT INTO t VALUES (1)");
            writer.commit();
            assertThat(addRow(database, 2)).as("the attached file is locked against other processes").isEqualTo(3);

            file.release();
            assertThat(file.isOpen()).isFalse();
            assertThat(addRow(database, 2)).as("a released file is free").isZero();

            assertThat(file.get()).as("the same instance, attached again").isSameAs(writer);
            writer.setAutoCommit(false);
            assertThat(count(writer, "SELECT count(*) FROM t")).isEqualTo(2);
            // Unqualified names, catalog-qualified names (the file's name, as when DuckDB opens the file) alike.
            assertThat(count(writer, "SELECT sum(id) FROM warehouse.main.t")).isEqualTo(3);
            writer.commit();
            file.close();
            assertThat(addRow(database, 4)).isZero();
        }
    }

    @Test
    void whatUnitsLearnedAboutTablesIsForgottenWhenTheFileIsAttachedAgain() throws Exception {
        Path database = dir.resolve("known.duckdb");
        try (AgroalDataSource pool = DuckDbPool.of(database)) {
            WriterFile file = new WriterFile(pool, config(database), () -> true);
            Connection writer = file.get();
            writer.setAutoCommit(false);
            new TableMemo(file.known()).ensure(writer, "t", "id BIGINT");
            writer.commit();
            file.known().committed();
            assertThat(file.known().present("t")).isTrue();
            assertThat(file.get()).as("still attached").isSameAs(writer);
            assertThat(file.known().present("t")).isTrue();

            file.release();
            // Released, the file is another process's to change (dbt may drop or alter the table).
            assertThat(addRow(database, 5)).isZero();
            file.get();
            assertThat(file.known().present("t")).isFalse();
            file.close();
        }
    }

    @Test
    void readersReadBesideTheWriterOnlyWhileTheFileIsAttached() throws Exception {
        Path database = dir.resolve("readers.duckdb");
        try (AgroalDataSource pool = DuckDbPool.of(database)) {
            AtomicBoolean writerThread = new AtomicBoolean(true);
            WriterFile file = new WriterFile(pool, config(database), writerThread::get);
            Connection writer = file.get();
            execute(writer, "CREATE TABLE t (id BIGINT)");
            writer.setAutoCommit(false);
            execute(writer, "INSERT INTO t VALUES (7)");
            // The writer's transaction is open: a reader sees the committed state only.
            assertThat(file.read(reader -> count(reader, "SELECT count(*) FROM t"))).contains(0L);
            writer.commit();
            assertThat(file.read(reader -> count(reader, "SELECT sum(id) FROM t"))).contains(7L);
            file.release();
            assertThat(file.read(reader -> count(reader, "SELECT count(*) FROM t"))).isEqualTo(Optional.empty());
            file.close();
        }
    }

    @Test
    void aSecondInstanceInThisJvmWaitsForTheFileByTheLockPolicyUntilTheFirstReleasesIt() throws Exception {
        Path database = dir.resolve("shared.duckdb");
        try (AgroalDataSource pool = DuckDbPool.of(database)) {
            WriterFile first = new WriterFile(pool, config(database), () -> true);
            execute(first.get(), "CREATE TABLE t (id BIGINT)");
            // No time passes: at the second's seventh wait the first adds a row and lets go of the file.
            RecordingPause pause = RecordingPause.instant();
            pause.onSleep(() -> {
                if (pause.waits().size() == 7) {
                    try {
                        execute(first.get(), "INSERT INTO t VALUES (1)");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    first.release();
                }
            });
            DuckloadConfig config = config(database);
            WriterFile second = new WriterFile(pool, config, new StorageVersion(config), () -> true, pause,
                    pause.clock());

            // DuckDB refuses a second instance on an attached file ("Unique file handle conflict"): it waits.
            assertThat(count(second.get(), "SELECT count(*) FROM t")).isEqualTo(1);

            // The lock policy's waits: 100 ms doubling up to 2 s, no jitter; the eighth try attached the file.
            assertThat(pause.millis()).containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L);
            assertThat(second.lockWaits()).isEqualTo(1);
            assertThat(second.totalLockWait()).isEqualTo(Duration.ofMillis(7100));
            second.close();
            first.close();
        }
    }

    private static int addRow(Path database, long id) throws Exception {
        Path log = database.resolveSibling("add-row.log");
        Process process = JavaProgram.start(JavaProgram.duckdbJar(), JavaProgram.resource("writerfile/AddRow.java"),
                log, database.toString(), Long.toString(id));
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(JavaProgram.read(log)).isTrue();
        return process.exitValue();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (ResultSet rs = connection.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static DuckloadConfig config(Path database) {
        return DefaultConfig.of(database);
    }
}
