package io.duckload.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.duckload.catalog.SourceFormat;

/**
 * The staging directory: remote sources are streamed into a {@code .part} file while their size and SHA-256 are
 * computed, and renamed to their final name only once complete, so DuckDB never reads half a download.
 */
final class Staging {

    private static final Logger LOG = Logger.getLogger(Staging.class);

    private final Path dir;
    private final long maxBytes;
    /** Bytes promised to downloads in progress; finished ones are counted on disk until their load discards them. */
    private long reserved;

    Staging(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /** Deletes what an earlier run left behind. */
    void clean() throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> leftovers = Files.list(dir)) {
            leftovers.filter(Files::isRegularFile).forEach(Staging::deleteQuietly);
        }
    }

    /**
     * Copies {@code body} to the staged file of {@code loadId}. The staged name keeps the source's own name, so
     * its extension ({@code .csv.gz}, {@code .csv.zst}) tells DuckDB how to decompress it; a body the server
     * marked with {@code Content-Encoding: gzip} or {@code zstd} gets that suffix if its name lacks it.
     *
     * @param path the source's path, whose last segment names the staged file
     * @param contentEncoding the response's {@code Content-Encoding}, if any
     */
    StagedSource write(InputStream body, String uri, String path, Optional<String> contentEncoding, String etag,
            SourceFormat format, String loadId, long expectedBytes) throws IOException {
        long reservation = Math.max(expectedBytes, 0);
        reserve(reservation, uri);
        try {
            return copy(body, uri, path, contentEncoding, etag, format, loadId);
        } finally {
            release(reservation);
        }
    }

    /**
     * Waits until staging has room for {@code bytes}: staged files wait for the single writer, so fetching ahead
     * must stop somewhere. A source larger than the whole budget still goes when staging is empty; one of
     * unknown size reserves nothing.
     */
    private void reserve(long bytes, String uri) throws IOException {
        synchronized (this) {
            boolean logged = false;
            while (reserved + onDisk() > 0 && reserved + onDisk() + bytes > maxBytes) {
                if (!logged) {
                    LOG.infof("Staging is full (%d of %d bytes); %s waits for room", reserved + onDisk(), maxBytes,
                            uri);
                    logged = true;
                }
                try {
                    // Loads delete their files without telling us, so look again now and then.
                    wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted waiting for staging space", e);
                }
            }
            reserved += bytes;
        }
    }

    private synchronized void release(long bytes) {
        reserved -= bytes;
        notifyAll();
    }

    private long onDisk() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0; // deleted meanwhile
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private StagedSource copy(InputStream body, String uri, String path, Optional<String> contentEncoding,
            String etag, SourceFormat format, String loadId) throws IOException {
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        Path target = dir.resolve(loadId + "-" + safe(name) + suffix(name, contentEncoding));
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(dir);
            Digest digest;
            try (OutputStream out = Files.newOutputStream(partial)) {
                digest = Digest.of(body, out);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            LOG.debugf("Fetched %s: %d bytes, ETag %s", uri, digest.bytes(), etag);
            return new StagedSource(uri, target, digest.bytes(), digest.sha256(), etag, format, true);
        } finally {
            deleteQuietly(partial);
        }
    }

    private static String safe(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() ? "source" : safe;
    }

    private static String suffix(String name, Optional<String> contentEncoding) {
        String lower = name.toLowerCase(Locale.ROOT);
        return switch (contentEncoding.orElse("").strip().toLowerCase(Locale.ROOT)) {
            case "gzip", "x-gzip" -> lower.endsWith(".gz") ? "" : ".gz";
            case "zstd" -> lower.endsWith(".zst") ? "" : ".zst";
            default -> "";
        };
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Could not delete staging file %s: %s", file, e.getMessage());
        }
    }

    /** Size and SHA-256 of a stream, computed while it is copied. */
    record Digest(long bytes, String sha256) {
        static Digest of(InputStream in, OutputStream out) throws IOException {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
            long bytes = new DigestInputStream(in, sha).transferTo(out);
            return new Digest(bytes, HexFormat.of().formatHex(sha.digest()));
        }
    }
}
