package io.duckload.source;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import io.duckload.catalog.SourceFormat;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/**
 * A local path or {@code file:} URL, read in place: nothing is copied. The SHA-256 of a file of
 * {@link #DIGEST_BESIDE_BYTES} or more is computed on a thread of its own while the load runs (a 3,000,000-row
 * month's 40 MB take 50-90 ms to hash, which the load would otherwise wait for); a smaller one's at once.
 */
final class LocalSource implements Source {

    static final long DIGEST_BESIDE_BYTES = 1 << 20;
    // An instance's, not a static: a native image would otherwise hold the executor, built at build time, in its heap.
    private final Executor digests = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "duckload-digest");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public StagedSource fetch(String location, SourceFormat format, String loadId) {
        Path file = (location.toLowerCase(Locale.ROOT).startsWith("file:") ? Path.of(URI.create(location))
                : Path.of(location)).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new LoadException(ErrorCode.SOURCE_NOT_FOUND, "source " + location + " does not exist");
        }
        try {
            long bytes = Files.size(file);
            if (bytes >= DIGEST_BESIDE_BYTES) {
                CompletableFuture<String> sha256 = CompletableFuture.supplyAsync(() -> digest(location, file).sha256(),
                        digests);
                return new StagedSource(location, file, bytes, SourceDigest.computing(sha256), null, format, false);
            }
        } catch (IOException e) {
            throw failure(location, e);
        }
        Staging.Digest digest = digest(location, file);
        return new StagedSource(location, file, digest.bytes(), digest.sha256(), null, format, false);
    }

    private static Staging.Digest digest(String location, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Staging.Digest.of(in, OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw failure(location, e);
        }
    }

    private static LoadException failure(String location, IOException e) {
        if (e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
            return new LoadException(ErrorCode.SOURCE_NOT_FOUND, "source " + location + " does not exist", e);
        }
        if (e instanceof AccessDeniedException) {
            return new LoadException(ErrorCode.SOURCE_FORBIDDEN, "source " + location + " may not be read", e);
        }
        return SourceFailures.unreachable("cannot read source " + location + ": " + e, e);
    }
}
