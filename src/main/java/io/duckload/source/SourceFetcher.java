package io.duckload.source;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.Locations;
import io.duckload.catalog.Partition;
import io.duckload.catalog.SourceFormat;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;
import io.quarkus.runtime.StartupEvent;

/**
 * Brings a dataset's source to a local file: http(s) and s3 objects are downloaded into staging, local paths and
 * {@code file:} URLs are read in place. DuckDB then reads only local files; it never downloads anything itself.
 */
@ApplicationScoped
public class SourceFetcher {

    private final Staging staging;
    private final LocalSource local = new LocalSource();
    private final HttpSource http;
    private final S3Source s3;

    public SourceFetcher(DuckloadConfig config) {
        this.staging = new Staging(config.stagingDir(), config.pipeline().stagingMaxBytes());
        this.http = new HttpSource(config.http(), staging);
        this.s3 = new S3Source(config.s3(), config.http(), staging);
    }

    void cleanStaging(@Observes StartupEvent start) throws IOException {
        staging.clean();
    }

    @PreDestroy
    void close() {
        s3.close();
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
                        "cannot tell the format of " + Locations.redact(location)));
        return fetch(location, format, loadId);
    }

    /** Fetches the file at a resolved {@code location} with the source its scheme names. */
    StagedSource fetch(String location, SourceFormat format, String loadId) {
        return sourceOf(location).fetch(location, format, loadId);
    }

    private Source sourceOf(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return http;
        }
        if (lower.startsWith("s3://")) {
            return s3;
        }
        return local;
    }
}
