package io.duckload.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnpackedLibraryTest {

    @TempDir
    Path dir;

    @Test
    void removesOnlyTheDriversCopiesMappedFromTheTemporaryFolder() throws IOException {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path copy = Files.writeString(tmp.resolve("libduckdb_java4711.so"), "elf");
        Path gone = tmp.resolve("libduckdb_java12.so");
        Path other = Files.writeString(tmp.resolve("libzstd-jni-1.5.6.so"), "elf");
        Path notMapped = Files.writeString(tmp.resolve("libduckdb_java99.so"), "elf");
        Path foreign = Files.writeString(elsewhere.resolve("libduckdb_java5.so"), "elf");
        Path maps = Files.write(dir.resolve("maps"), List.of(
                "7f10a0000000-7f10a1000000 r--p 00000000 08:01 1001    " + copy,
                "7f10a1000000-7f10a3000000 r-xp 01000000 08:01 1001    " + copy,
                "7f10a3000000-7f10a3100000 r--p 00000000 08:01 1002    " + gone + " (deleted)",
                "7f10a4000000-7f10a4100000 r-xp 00000000 08:01 1003    " + other,
                "7f10a5000000-7f10a5100000 r-xp 00000000 08:01 1004    " + foreign,
                "7f10a6000000-7f10a6100000 rw-p 00000000 00:00 0 ",
                "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0       [stack]"));

        assertThat(UnpackedLibrary.remove(maps, tmp)).containsExactly(copy);

        assertThat(copy).doesNotExist();
        assertThat(other).exists();
        assertThat(notMapped).exists(); // perhaps another process's copy, still being written
        assertThat(foreign).exists();
    }

    @Test
    void noMapsFileRemovesNothing() {
        assertThat(UnpackedLibrary.remove(dir.resolve("no-maps"), dir)).isEmpty();
    }

    @Test
    void duckDbKeepsWorkingAfterItsCopyIsRemoved() throws Exception {
        assertThat(selectFortyTwo()).isEqualTo(42); // loads the library here, unpacking it unless an earlier test did
        Path maps = Path.of("/proc/self/maps");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
        assertThat(Files.readAllLines(maps)).anyMatch(line -> line.contains("libduckdb_java"));

        UnpackedLibrary.remove(maps, tmp);

        assertThat(Files.readAllLines(maps)).filteredOn(line -> line.contains(tmp + "/libduckdb_java"))
                .allMatch(line -> line.endsWith("(deleted)"));
        assertThat(selectFortyTwo()).isEqualTo(42); // a new database instance on the still-mapped library
    }

    private static int selectFortyTwo() throws SQLException {
        try (Connection db = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                Statement statement = db.createStatement();
                ResultSet rs = statement.executeQuery("SELECT 42")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
