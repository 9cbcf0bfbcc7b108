package io.duckload.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseOwnerTest {

    @Test
    void aUrlNamingTheSameFileAgreesHoweverItIsSpelled(@TempDir Path dir) {
        Path database = dir.resolve("duckload.duckdb");

        assertThat(DatabaseOwner.disagreement("jdbc:duckdb:" + database, database)).isEmpty();
        assertThat(DatabaseOwner.disagreement("jdbc:duckdb:" + dir.resolve("x/../duckload.duckdb"), database))
                .isEmpty();
        assertThat(DatabaseOwner.disagreement("jdbc:duckdb:" + database + ";threads=2", database)).isEmpty();
    }

    @Test
    void aUrlNamingAnotherFileIsRefusedNamingBothKeys(@TempDir Path dir) {
        Path database = dir.resolve("duckload.duckdb");
        String url = "jdbc:duckdb:" + dir.resolve("elsewhere.duckdb");

        assertThat(DatabaseOwner.disagreement(url, database)).hasValueSatisfying(message -> assertThat(message)
                .contains("quarkus.datasource.jdbc.url=" + url)
                .contains("duckload.database=" + database)
                .contains("DUCKLOAD_DATABASE"));
    }

    @Test
    void inMemoryAndForeignUrlsAreRefused(@TempDir Path dir) {
        Path database = dir.resolve("duckload.duckdb");

        assertThat(DatabaseOwner.disagreement("jdbc:duckdb:", database)).isPresent();
        assertThat(DatabaseOwner.disagreement("jdbc:duckdb::memory:", database)).isPresent();
        assertThat(DatabaseOwner.disagreement("jdbc:h2:" + database, database)).isPresent();
    }

    @Test
    void theOwnerLockSitsNextToTheFile(@TempDir Path dir) {
        assertThat(DatabaseOwner.ownerFile(dir.resolve("a.duckdb"))).isEqualTo(dir.resolve("a.duckdb.owner"));
    }
}
