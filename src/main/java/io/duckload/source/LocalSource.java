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

import io.duckload.catalog.SourceFormat;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/** A local path or {@code file:} URL, read in place: nothing is copied. */
final class LocalSource implements Source {

    @Override
    public StagedSource fetch(String location, SourceFormat format, String loadId) {
        Path file = (location.toLowerCase(Locale.ROOT).startsWith("file:") ? Path.of(URI.create(location))
                : Path.of(location)).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new LoadException(ErrorCode.SOURCE_NOT_FOUND, "source " + location + " does not exist");
        }
        try (InputStream in = Files.newInputStream(file)) {
            Staging.Digest digest = Staging.Digest.of(in, OutputStream.nullOutputStream());
            return new StagedSource(location, file, digest.bytes(), digest.sha256(), null, format, false);
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new LoadException(ErrorCode.SOURCE_NOT_FOUND, "source " + location + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new LoadException(ErrorCode.SOURCE_FORBIDDEN, "source " + location + " may not be read", e);
        } catch (IOException e) {
            throw SourceFailures.unreachable("cannot read source " + location + ": " + e, e);
        }
    }
}
