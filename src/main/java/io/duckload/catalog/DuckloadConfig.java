package io.duckload.catalog;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The one typed configuration root of duckload: database, staging, retries and the dataset catalog. */
@ConfigMapping(prefix = "duckload")
public interface DuckloadConfig {

    /** Path of the DuckDB file every load writes into. */
    Path database();

    /** Directory where remote sources are downloaded before DuckDB reads them. */
    @WithName("staging-dir")
    Path stagingDir();

    /** CloudEvents {@code source} attribute of the events duckload emits. */
    @WithName("event-source")
    @WithDefault("urn:duckload")
    String eventSource();

    Topics topics();

    Retry retry();

    Writer writer();

    Http http();

    /** The dataset catalog, keyed by dataset name. */
    Map<String, DatasetConfig> datasets();

    /** Topics duckload publishes to; requests are read from the channel {@code partition-requested}. */
    interface Topics {
        @WithDefault("partition-materialized")
        String materialized();

        @WithDefault("partition-failed")
        String failed();
    }

    /** Bounded retries with exponential backoff and jitter for transient failures. */
    interface Retry {
        @WithName("max-attempts")
        @WithDefault("4")
        int maxAttempts();

        @WithName("initial-backoff")
        @WithDefault("PT0.5S")
        Duration initialBackoff();

        @WithName("max-backoff")
        @WithDefault("PT30S")
        Duration maxBackoff();
    }

    /** Settings of the single DuckDB writer. */
    interface Writer {
        /** A load running longer than this makes liveness DOWN: the writer is considered stuck. */
        @WithName("stuck-after")
        @WithDefault("PT30M")
        Duration stuckAfter();
    }

    /** Timeouts of http(s) sources. */
    interface Http {
        @WithName("connect-timeout")
        @WithDefault("PT10S")
        Duration connectTimeout();

        /** Longest wait for the response headers of a source. */
        @WithName("request-timeout")
        @WithDefault("PT60S")
        Duration requestTimeout();
    }

    /** One dataset: where its rows come from and how they replace what the table holds. */
    interface DatasetConfig {
        /** Target table; an identifier, never taken from an event. */
        String table();

        /** Column definitions of the target table, e.g. {@code id integer, name varchar}. */
        Optional<String> columns();

        LoadMode mode();

        Optional<PartitioningConfig> partitioning();

        /** Source location template: a path, a {@code file:} URL or an http(s) URL, with partition placeholders. */
        String source();

        /** Source format; guessed from the source's extension when absent. */
        Optional<SourceFormat> format();

        /**
         * Extra named arguments of the reader function, e.g. {@code strict_mode = false} for a CSV that DuckDB's
         * sniffer rejects. SQL text from configuration, never from events.
         */
        @WithName("reader-options")
        Optional<String> readerOptions();

        /** The select mapping source columns to table columns, with {@code {source}} and partition placeholders. */
        String select();
    }

    /** How a partitioned dataset is cut into partitions. */
    interface PartitioningConfig {
        Granularity granularity();

        LocalDate start();

        /** Exclusive end: the first partition start that is no longer part of the dataset. */
        Optional<LocalDate> end();

        /** Table column that stores the partition value. */
        String column();

        /** {@link java.time.format.DateTimeFormatter} pattern of the stored partition value. */
        @WithName("value-format")
        String valueFormat();
    }
}
