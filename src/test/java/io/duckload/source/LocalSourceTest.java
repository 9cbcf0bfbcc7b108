package io.duckload.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.catalog.SourceFormat;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/** Local sources are read in place; a large file's SHA-256 is taken beside the load and is the file's own. */
class LocalSourceTest {

    @TempDir
    Path dir;

    @Test
    void aSmallFilesDigestIsKnownWhenItIsFetched() throws Exception {
        Path file = write("small.parquet", 1000);

        StagedSource source = new LocalSource().fetch(file.toString(), SourceFormat.PARQUET, "load-small");

        assertThat(source.digest()).hasToString(sha256(file));
        assertThat(source.sha256()).isEqualTo(sha256(file));
        assertThat(source.bytes()).isEqualTo(1000);
        assertThat(source.file()).isEqualTo(file);
        assertThat(source.staged()).isFalse();
    }

    @Test
    void aLargeFilesDigestIsTheFilesOwnOnceComputedBeside() throws Exception {
        Path file = write("large.parquet", (int) LocalSource.DIGEST_BESIDE_BYTES * 3 + 17);

        StagedSource source = new LocalSource().fetch("file:" + file, SourceFormat.PARQUET, "load-large");

        assertThat(source.bytes()).isEqualTo(Files.size(file));
        assertThat(source.sha256()).isEqualTo(sha256(file));
        assertThat(source.file()).isEqualTo(file);
        assertThat(source.staged()).isFalse();
        source.discard();
        assertThat(file).exists();
    }

    @Test
    void aMissingFileIsNotFound() {
        assertThatThrownBy(() -> new LocalSource().fetch(dir.resolve("absent.parquet").toString(),
                SourceFormat.PARQUET, "load-absent"))
                .isInstanceOfSatisfying(LoadException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_NOT_FOUND));
    }

    @Test
    void aDigestThatCouldNotBeComputedFailsWithItsOwnCause() {
        LoadException unread = new LoadException(ErrorCode.SOURCE_UNREACHABLE, "cannot read source x");
        SourceDigest digest = SourceDigest.computing(CompletableFuture.failedFuture(unread));

        assertThatThrownBy(digest::get).isSameAs(unread);
        assertThat(digest).hasToString("(unread)");
    }

    private Path write(String name, int bytes) throws Exception {
        byte[] content = new byte[bytes];
        new Random(bytes).nextBytes(content);
        return Files.write(dir.resolve(name), content);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
