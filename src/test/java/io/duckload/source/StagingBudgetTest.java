package io.duckload.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.catalog.SourceFormat;

/** Staging holds at most its byte budget of downloaded sources; fetching waits for loads to free room. */
class StagingBudgetTest {

    @TempDir
    Path dir;

    @Test
    void aDownloadWaitsUntilALoadFreesRoom() throws Exception {
        Staging staging = new Staging(dir, 10);
        StagedSource first = write(staging, "first", 8);

        CompletableFuture<StagedSource> second = CompletableFuture.supplyAsync(() -> write(staging, "second", 5));
        Awaitility.await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                .until(() -> !second.isDone());

        first.discard();
        assertThat(second.get(5, java.util.concurrent.TimeUnit.SECONDS).bytes()).isEqualTo(5);
    }

    @Test
    void aSourceLargerThanTheBudgetGoesWhenStagingIsEmpty() {
        Staging staging = new Staging(dir, 10);

        StagedSource big = write(staging, "big", 25);

        assertThat(big.bytes()).isEqualTo(25);
        assertThat(Files.exists(big.file())).isTrue();
    }

    private static StagedSource write(Staging staging, String name, int bytes) {
        try {
            return staging.write(new ByteArrayInputStream(new byte[bytes]), "http://127.0.0.1/" + name,
                    "/" + name + ".parquet", Optional.empty(), null, SourceFormat.PARQUET, name, bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
