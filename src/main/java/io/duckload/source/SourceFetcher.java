package io.duckload.source;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.Partition;
import io.duckload.catalog.SourceFormat;
import io.duckload.ingest.ErrorCode;
import io.duckload.ingest.LoadException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;

/**
 * Brings a dataset's source to a local file: http(s) is downloaded into staging, local paths and {@code file:}
 * URLs are read in place. DuckDB then reads only local files; it never downloads anything itself.
 */
@ApplicationScoped
public class SourceFetcher {

    private static final Logger LOG = Logger.getLogger(SourceFetcher.class);

    private final DuckloadConfig config;
    private final HttpClient http;

    public SourceFetcher(DuckloadConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.http().connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    void cleanStaging(@Observes StartupEvent start) throws IOException {
        Path dir = config.stagingDir();
        Files.createDirectories(dir);
        try (Stream<Path> leftovers = Files.list(dir)) {
            leftovers.filter(Files::isRegularFile).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    LOG.warnf("Could not delete staging leftover %s: %s", file, e.getMessage());
                }
            });
        }
    }

    /** The location of {@code partition}'s source, with the template's placeholders filled. */
    public static String resolve(Dataset dataset, Optional<Partition> partition) {
        return dataset.source().render(name -> {
            Partition p = partition.orElseThrow();
            return switch (name) {
                case "YYYY" -> String.format("%04d", p.start().getYear());
                case "MM" -> String.format("%02d", p.start().getMonthValue());
                case "DD" -> String.format("%02d", p.start().getDayOfMonth());
                case "YYYY-MM" -> p.key().substring(0, 7);
                case "YYYY-MM-DD", "partition" -> p.key();
                case "partition_value" -> p.value();
                default -> throw new IllegalStateException("placeholder checked at start: " + name);
            };
        });
    }

    /** Fetches the source of one load; {@code loadId} names the staged copy. */
    public StagedSource fetch(Dataset dataset, Optional<Partition> partition, String loadId) {
        String location = resolve(dataset, partition);
        SourceFormat format = dataset.format().or(() -> SourceFormat.fromLocation(location))
                .orElseThrow(() -> new LoadException(ErrorCode.SOURCE_FORMAT_INVALID,
                        "cannot tell the format of " + location));
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return download(URI.create(location), format, loadId);
        }
        Path file = lower.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        return inPlace(location, file.toAbsolutePath(), format);
    }

    private StagedSource inPlace(String location, Path file, SourceFormat format) {
        if (!Files.isRegularFile(file)) {
            throw new LoadException(ErrorCode.SOURCE_NOT_FOUND, "source " + location + " does not exist");
        }
        try (InputStream in = Files.newInputStream(file)) {
            Digest digest = Digest.of(in, OutputStream.nullOutputStream());
            return new StagedSource(location, file, digest.bytes(), digest.sha256(), format, false);
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new LoadException(ErrorCode.SOURCE_NOT_FOUND, "source " + location + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new LoadException(ErrorCode.SOURCE_FORBIDDEN, "source " + location + " may not be read", e);
        } catch (IOException e) {
            throw new LoadException(ErrorCode.SOURCE_UNREACHABLE, "cannot read source " + location + ": " + e, e);
        }
    }

    private StagedSource download(URI uri, SourceFormat format, String loadId) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.http().requestTimeout()).GET().build();
        Path target = config.stagingDir().resolve(loadId + "-" + fileName(uri));
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(config.stagingDir());
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status != 200) {
                    throw httpFailure(uri, status);
                }
                Digest digest;
                try (OutputStream out = Files.newOutputStream(partial)) {
                    digest = Digest.of(body, out);
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                LOG.debugf("Fetched %s: %d bytes", uri, digest.bytes());
                return new StagedSource(uri.toString(), target, digest.bytes(), digest.sha256(), format, true);
            }
        } catch (HttpTimeoutException e) {
            throw new LoadException(ErrorCode.SOURCE_UNREACHABLE, "timed out fetching " + uri, e);
        } catch (IOException e) {
            throw new LoadException(ErrorCode.SOURCE_UNREACHABLE, "cannot fetch " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException(ErrorCode.SOURCE_UNREACHABLE, "interrupted fetching " + uri, e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                LOG.debugf("Could not delete %s: %s", partial, e.getMessage());
            }
        }
    }

    private static LoadException httpFailure(URI uri, int status) {
        String message = "fetching " + uri + " answered HTTP " + status;
        if (status == 404 || status == 410) {
            return new LoadException(ErrorCode.SOURCE_NOT_FOUND, message);
        }
        if (status == 401 || status == 403) {
            return new LoadException(ErrorCode.SOURCE_FORBIDDEN, message);
        }
        if (status >= 500 || status == 429 || status == 408) {
            return new LoadException(ErrorCode.SOURCE_UNREACHABLE, message);
        }
        return new LoadException(ErrorCode.SOURCE_NOT_FOUND, message);
    }

    private static String fileName(URI uri) {
        String path = Optional.ofNullable(uri.getPath()).orElse("");
        String name = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() ? "source" : name;
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
