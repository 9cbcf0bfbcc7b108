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

    Staging(Path dir) {
        this.dir = dir;
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
            SourceFormat format, String loadId) throws IOException {
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
