package io.duckload.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


class DuckDbErrorsTest {

    @TempDir
    Path dir;

    private Connection duckdb;

    @BeforeEach
    void open() throws SQLException {
        duckdb = new DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties());
    }

    @AfterEach
    void close() throws SQLException {
        duckdb.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Binder Error: Referenced column "nope" not found in FROM clause!       | SOURCE_SCHEMA_MISMATCH
            Conversion Error: Could not convert string 'x' to INT32                | SOURCE_SCHEMA_MISMATCH
            Invalid Input Error: No magic bytes found at end of file '/x'          | SOURCE_FORMAT_INVALID
            IO Error: No files found that match the pattern "/x.parquet"           | SOURCE_NOT_FOUND
            IO Error: Could not set lock on file "/x": Conflicting lock is held    | DATABASE_UNAVAILABLE
            Resource In Use Error: Unique file handle conflict: Cannot attach "d" - the database file "/d.duckdb" is already attached by database "d" | DATABASE_UNAVAILABLE
            Parser Error: syntax error at or near "form"                           | SQL_ERROR
            Catalog Error: Table with name trips does not exist!                   | SQL_ERROR
            IO Error: Could not write file "/d/f.duckdb": No space left on device  | DATABASE_FULL
            TransactionContext Error: Failed to commit: Could not write file "/d/f.duckdb.wal": No space left on device | DATABASE_FULL
            IO Error: Cannot open file "/ro/f.duckdb": Read-only file system       | DATABASE_READ_ONLY
            IO Error: The file "/d/f" exists, but it is not a valid DuckDB database file! | DATABASE_CORRUPT
            Data Corruption Error: Corrupt database file: computed checksum 1 does not match stored checksum 2 in block at location 12288 | DATABASE_CORRUPT
            FATAL Error: Failed: database has been invalidated because of a previous fatal error. Original error: "IO Error: Corrupt database file: computed checksum 1 does not match stored checksum 2" | DATABASE_CORRUPT
            IO Error: Checkpoint failed: computed checksum 7 does not match stored checksum 0 in block 3 | DATABASE_CORRUPT
            TransactionContext Error: Failed to commit: Could not write file "/d/f.duckdb.wal": Input/output error | DATABASE_UNAVAILABLE
            """)
    void duckdbMessageMapsToItsCode(String message, ErrorCode code) {
        assertThat(DuckDbErrors.code(message)).isEqualTo(code);
    }

    @Test
    void classifyKeepsTheFirstLineAndTheCause() {
        SQLException e = new SQLException("Binder Error: Referenced column \"nope\" not found\n\nLINE 1: select nope");
        LoadException failure = DuckDbErrors.classify(e);
        assertThat(failure.code()).isEqualTo(ErrorCode.SOURCE_SCHEMA_MISMATCH);
        assertThat(failure.getMessage()).isEqualTo("Binder Error: Referenced column \"nope\" not found");
        assertThat(failure.getCause()).isSameAs(e);
    }

    @Test
    void csvReadAsParquetIsAnInvalidFormat() throws Exception {
        Path csv = Files.writeString(dir.resolve("trips.parquet"), "VendorID,total_amount\n1,7.25\n");
        assertThat(failureOf("SELECT * FROM read_parquet('" + csv + "')")).isEqualTo(ErrorCode.SOURCE_FORMAT_INVALID);
    }

    @Test
    void truncatedParquetIsAnInvalidFormat() throws Exception {
        Path parquet = parquet("trips.parquet");
        byte[] bytes = Files.readAllBytes(parquet);
        Files.write(parquet, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThat(failureOf("SELECT * FROM read_parquet('" + parquet + "')"))
                .isEqualTo(ErrorCode.SOURCE_FORMAT_INVALID);
    }

    @Test
    void missingColumnIsASchemaMismatch() throws Exception {
        Path parquet = parquet("trips.parquet");
        assertThat(failureOf("SELECT total_amount FROM read_parquet('" + parquet + "')"))
                .isEqualTo(ErrorCode.SOURCE_SCHEMA_MISMATCH);
    }

    @Test
    void valueThatDoesNotFitTheColumnTypeIsASchemaMismatch() throws Exception {
        Path csv = Files.writeString(dir.resolve("zones.csv"), "LocationID,zone\nseven,Midtown\n");
        assertThat(failureOf("SELECT LocationID::INTEGER FROM read_csv('" + csv + "', header = true)"))
                .isEqualTo(ErrorCode.SOURCE_SCHEMA_MISMATCH);
    }

    @Test
    void missingFileIsNotFound() {
        assertThat(failureOf("SELECT * FROM read_parquet('" + dir.resolve("absent.parquet") + "')"))
                .isEqualTo(ErrorCode.SOURCE_NOT_FOUND);
    }

    @Test
    void syntaxErrorIsAnSqlError() {
        assertThat(failureOf("SELEC 1")).isEqualTo(ErrorCode.SQL_ERROR);
    }

    @Test
    void databaseFileLockedByAnotherProcessIsUnavailable() throws Exception {
        Path database = dir.resolve("locked.duckdb");
        Process holder = holdLock(database);
        try {
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> new DuckDBDriver().connect("jdbc:duckdb:" + database, new java.util.Properties()).close());
            assertThat((Throwable) e).as("opening a file another process holds").isNotNull();
            assertThat(DuckDbErrors.classify(e).code()).isEqualTo(ErrorCode.DATABASE_UNAVAILABLE);
        } finally {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Path parquet(String name) throws SQLException {
        Path file = dir.resolve(name);
        try (Statement copy = duckdb.createStatement()) {
            copy.execute("COPY (SELECT i AS VendorID, i * 1.5 AS fare_amount FROM range(10000) t(i)) TO '" + file
                    + "' (FORMAT parquet)");
        }
        return file;
    }

    private ErrorCode failureOf(String sql) {
        SQLException e = catchThrowableOfType(SQLException.class, () -> {
            try (Statement statement = duckdb.createStatement()) {
                statement.executeQuery(sql).close();
            }
        });
        assertThat((Throwable) e).as("failure of %s", sql).isNotNull();
        return DuckDbErrors.classify(e).code();
    }

    /** Starts a JVM that opens {@code database} and keeps it open, and waits until it has. */
    private Process holdLock(Path database) throws Exception {
        Path program = Files.writeString(dir.resolve("Holder.java"), """
                public class Holder {
                    public static void main(String[] args) throws Exception {
                        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + args[0])) {
                            System.out.println("open");
                            System.in.read();
                        }
                    }
                }""");
        String driver = Path.of(DuckDBDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", driver, program.toString(), database.toString()).redirectErrorStream(true).start();
        var out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("the holder process opened the file").isEqualTo("open");
        return holder;
    }
}
