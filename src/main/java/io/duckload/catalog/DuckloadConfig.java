package io.duckload.catalog;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.duckload.failure.RetryPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The one typed configuration root of duckload: database, staging, retries and the dataset catalog. */
@ConfigMapping(prefix = "duckload")
public interface DuckloadConfig {

    /** Path of the DuckDB file every load writes into. */
    Path database();

    /**
     * The request consumer's {@code group.instance.id} (Kafka static membership), so that a restarted duckload takes
     * its partitions back at once; {@code none} turns static membership off. When absent: the group id and a hash
     * of the DuckDB file's absolute path, the same on every restart of the service on that file.
     */
    Optional<String> instanceId();

    /** Directory where remote sources are downloaded before DuckDB reads them. */
    Path stagingDir();

    /**
     * Root directory of the parquet exports of datasets with {@code export.enabled=true}: each load writes
     * {@code <root>/<table>/<column>=<value>/data.parquet}, or {@code <root>/<table>/data.parquet} when unpartitioned.
     */
    Optional<Path> exportRoot();

    /**
     * CloudEvents {@code source} attribute of the events duckload emits: a URI-reference, so a value that is none
     * stops the start naming this key.
     */
    @WithDefault("urn:duckload")
    URI eventSource();

    Topics topics();

    Retry retry();

    Pipeline pipeline();

    WriterConfig writer();

    Outbox outbox();

    /** DuckDB's memory limit and threads, the same for every connection to the file. */
    DuckDbConfig duckdb();

    Http http();

    S3 s3();

    Api api();

    /** Reporting committed loads to Dagster; off unless {@code duckload.dagster.url} is set. */
    IntegrationsConfig.Dagster dagster();

    /** OpenLineage run events of each load; off unless a URL or a topic is set. */
    IntegrationsConfig.OpenLineage openlineage();

    /** The dataset catalog, keyed by dataset name. */
    Map<String, DatasetConfig> datasets();

    /** The HTTP API; who may call it is configured with Quarkus' security keys (see docs/security.md). */
    interface Api {
        /** Role a caller needs to publish requests through the API (JWT {@code groups} claim, or a user's roles). */
        @WithDefault("operator")
        String operatorRole();
    }

    /** Topics duckload publishes to; requests are read from the channel {@code partition-requested}. */
    interface Topics {
        @WithDefault("partition-materialized")
        String materialized();

        @WithDefault("partition-failed")
        String failed();
    }

    /** The outbox: the events of committed loads, kept to send them and to answer redelivered requests. */
    interface Outbox {
        /**
         * How long an event stays in the outbox after the broker acknowledged it: a request redelivered within it
         * is answered with its stored event, one redelivered later is loaded again (same rows, new event). Events
         * not yet acknowledged are never removed. {@code PT0S} keeps every event for good (the outbox then grows
         * with every load, and so does the look-up each commit makes in it).
         */
        @WithDefault("P7D")
        Duration retention();
    }

    /** How requests flow: sources are fetched in parallel while the single writer loads what is staged. */
    interface Pipeline {
        /** Requests fetched (and waiting for the writer) at once. */
        @WithDefault("4")
        int fetchParallelism();

        /**
         * Kafka records taken in before the oldest is answered; the consumer waits beyond that. Each has a worker,
         * so while one group commits the next is staged (docs/delivery-guarantees.md, "Group commit": 32 left the
         * writer waiting between groups).
         */
        @WithDefault("128")
        int maxInFlight();

        /** Bytes of downloaded sources kept in staging at once; fetching waits beyond that. */
        @WithDefault("2147483648")
        long stagingMaxBytes();

        /** Most partitions one backfill request may name. */
        @WithDefault("1000")
        int maxBackfill();
    }

    /** Bounded retries with exponential backoff and jitter for transient failures. */
    interface Retry {
        @WithDefault("4")
        int maxAttempts();

        @WithDefault("PT0.5S")
        Duration initialBackoff();

        @WithDefault("PT30S")
        Duration maxBackoff();

        /** These settings as the service's one retry policy. */
        default RetryPolicy policy() {
            return RetryPolicy.of(maxAttempts(), initialBackoff(), maxBackoff());
        }

        /** Resends of what must not be dropped (events, dead letters, reports): these intervals, no attempt limit. */
        default RetryPolicy resends() {
            return policy().unbounded();
        }
    }

    /** Timeouts of http(s) sources. */
    interface Http {
        @WithDefault("PT10S")
        Duration connectTimeout();

        /** Longest wait for the response headers of a source. */
        @WithDefault("PT60S")
        Duration requestTimeout();

        /** Longest wait for more bytes of a source's body (http(s) and s3); a stalled download fails then. */
        @WithDefault("PT30S")
        Duration readTimeout();
    }

    /**
     * {@code s3://bucket/key} sources, fetched with AWS SDK v2. Credentials come from the SDK's default chain: system
     * properties {@code aws.accessKeyId}/{@code aws.secretAccessKey}, environment {@code AWS_ACCESS_KEY_ID}/
     * {@code AWS_SECRET_ACCESS_KEY}, web identity, profile files ({@code AWS_PROFILE}), container and instance roles.
     * Connect and read timeouts are those of {@link Http}.
     */
    interface S3 {
        /** Region of the buckets, e.g. {@code eu-west-1}; when absent, the SDK's chain (AWS_REGION, profile). */
        Optional<String> region();

        /** Endpoint of an S3-compatible store, e.g. {@code http://127.0.0.1:9000}; AWS's own when absent. */
        Optional<java.net.URI> endpoint();

        /** Addresses buckets as {@code endpoint/bucket/key} rather than {@code bucket.endpoint/key}. */
        @WithDefault("false")
        boolean pathStyleAccess();

        /** When the SDK adds request checksums and validates response checksums. */
        @WithDefault("when-required")
        Checksums checksums();
    }

    /**
     * The AWS SDK's checksum behaviour. Its own default since 2.30, {@code when-supported}, sends
     * {@code x-amz-checksum-*} headers and trailers that older S3-compatible stores (s3proxy 2.x, older MinIO and
     * Ceph) answer with 501 Not Implemented; {@code when-required} sends them only where the operation demands it,
     * which a GET never does.
     */
    enum Checksums {
        /** Only for operations that require a checksum; a GET sends and validates none. */
        WHEN_REQUIRED,
        /** The SDK's default: on every operation that supports one. */
        WHEN_SUPPORTED
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
        Optional<String> readerOptions();

        /** The select mapping source columns to table columns, with {@code {source}} and partition placeholders. */
        String select();

        /** Parquet export of each load's partition (or table) under {@code duckload.export-root}. */
        ExportConfig export();

        /**
         * dbt node selection announced in PartitionMaterialized ({@code dbt.select}), e.g.
         * {@code source:raw_taxis.trips+}; the event carries no {@code dbt} member when absent.
         */
        Optional<String> dbtSelect();

        /** How the dataset is named in Dagster. */
        IntegrationsConfig.DatasetDagster dagster();

        /**
         * Source columns the select names that older (or newer) source files may lack, e.g. {@code airport_fee}: a
         * file without one loads it as NULL. Any other missing column stays {@code SOURCE_SCHEMA_MISMATCH}.
         */
        Optional<List<String>> optionalSourceColumns();

        /** Data contracts checked inside each load's transaction, keyed by check name. */
        Map<String, CheckConfig> checks();

        /** At start, how an existing table follows changed {@code columns}: {@code additive} or {@code recreate}. */
        @WithDefault("additive")
        SchemaEvolution schemaEvolution();
    }

    /** Whether a dataset's loads are also written as parquet files. */
    interface ExportConfig {
        @WithDefault("false")
        boolean enabled();
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
        String valueFormat();
    }
}
