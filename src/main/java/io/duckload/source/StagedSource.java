package io.duckload.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.duckload.catalog.SourceFormat;

/**
 * A source file DuckDB can read locally.
 *
 * @param uri the resolved source location, redacted ({@code Locations.redact}), as reported in events
 * @param file the local file DuckDB reads
 * @param bytes size of the file
 * @param digest hex SHA-256 of the file's bytes, possibly still being computed ({@link #sha256()} waits for it)
 * @param etag the ETag the server or bucket gave the source, verbatim (quotes included); null for local files and
 *        servers that send none
 * @param format how DuckDB reads it
 * @param staged whether duckload downloaded the file into staging (and so deletes it after the load)
 */
public record StagedSource(String uri, Path file, long bytes, SourceDigest digest, String etag, SourceFormat format,
        boolean staged) {

    /** A staged source whose digest is known. */
    public StagedSource(String uri, Path file, long bytes, String sha256, String etag, SourceFormat format,
            boolean staged) {
        this(uri, file, bytes, SourceDigest.of(sha256), etag, format, staged);
    }

    /**
     * The hex SHA-256 of the file's bytes, waiting if it is still being computed; throws the {@code LoadException}
     * of a source that could not be read to the end.
     */
    public String sha256() {
        return digest.get();
    }

    /** Deletes a downloaded copy; a source read in place is left alone. */
    public void discard() {
        if (staged) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // The staging directory is emptied at start too, so a leftover is only disk space for a while.
            }
        }
    }
}
