package io.duckload.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/** A corrupt file stays corrupt while the service runs; other database conditions clear (issue 31). */
class FileHealthTest {

    @TempDir
    Path dir;

    @Test
    void corruptionIsNeitherClearedBySuccessNorReplacedByAnotherCondition() {
        FileHealth health = new FileHealth(dir.resolve("duckload.duckdb"), Clock.systemUTC());
        health.failed(new LoadException(ErrorCode.DATABASE_CORRUPT, "Corrupt database file: computed checksum 1"));

        health.succeeded();
        health.failed(new LoadException(ErrorCode.DATABASE_FULL, "No space left on device"));

        assertThat(health.corrupt()).get().extracting(FileHealth.Problem::message)
                .isEqualTo("Corrupt database file: computed checksum 1");
        assertThat(health.problem()).get().extracting(FileHealth.Problem::code).isEqualTo(ErrorCode.DATABASE_CORRUPT);
    }

    @Test
    void aConditionOtherThanCorruptionClearsWithTheNextSuccess() {
        FileHealth health = new FileHealth(dir.resolve("duckload.duckdb"), Clock.systemUTC());
        health.failed(new LoadException(ErrorCode.DATABASE_UNAVAILABLE, "cannot open"));
        assertThat(health.problem()).isPresent();
        assertThat(health.corrupt()).isEmpty();

        health.succeeded();

        assertThat(health.problem()).isEmpty();
    }
}
