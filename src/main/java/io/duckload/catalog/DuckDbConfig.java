package io.duckload.catalog;

import java.util.Properties;
import java.util.regex.Pattern;

import io.smallrye.config.WithDefault;

/**
 * DuckDB's resource bounds for the service's file: the settings of the writer's DuckDB instance, which the file is
 * attached to and the API reads through (the datasource's properties follow the same keys).
 */
public interface DuckDbConfig {

    String MEMORY_LIMIT_KEY = "duckload.duckdb.memory-limit";
    String THREADS_KEY = "duckload.duckdb.threads";
    String DEFAULT_MEMORY_LIMIT = "256MB";
    String DEFAULT_THREADS = "2";
    String STORAGE_VERSION_KEY = "duckload.duckdb.storage-version";
    /**
     * The newest storage format DuckDB 1.4 (the long-term-support line) reads: files in it open in DuckDB 1.4.0 and
     * every newer release (measured, docs/duckdb-file.md); DuckDB 2.0's own format opens in 2.0 only.
     */
    String DEFAULT_STORAGE_VERSION = "v1.4.0";
    /** {@code latest} or a DuckDB release such as {@code v1.4.0}; DuckDB itself checks that it knows the release. */
    Pattern STORAGE_VERSION = Pattern.compile("latest|v\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    /** A size in the units DuckDB's {@code memory_limit} accepts, e.g. {@code 256MB}, {@code 1.5GiB}. */
    Pattern MEMORY_LIMIT = Pattern.compile(
            "\\d+(\\.\\d+)?\\s*(b|bytes?|kb?|kilobytes?|mb?|megabytes?|gb?|gigabytes?|tb?|terabytes?|kib|mib|gib|tib)",
            Pattern.CASE_INSENSITIVE);

    /**
     * DuckDB's {@code memory_limit}: buffer manager memory (a month's insert, sorts, joins) before DuckDB spills to
     * disk; not a bound on the process (the JVM's heap and DuckDB's own allocations come on top).
     */
    @WithDefault(DEFAULT_MEMORY_LIMIT)
    String memoryLimit();

    /** DuckDB's {@code threads}: worker threads of a query, each with its own memory arenas. */
    @WithDefault(DEFAULT_THREADS)
    int threads();

    /**
     * DuckDB's {@code STORAGE_VERSION} of a file duckload creates: the oldest DuckDB release that must read it, or
     * {@code latest} (the format of the DuckDB duckload runs, which older readers refuse). An existing file keeps
     * the format it was created with.
     */
    @WithDefault(DEFAULT_STORAGE_VERSION)
    String storageVersion();

    /** Refuses values DuckDB would refuse or that remove the bound, naming the key. */
    static void validate(DuckDbConfig config) {
        if (!MEMORY_LIMIT.matcher(config.memoryLimit().strip()).matches()) {
            throw new CatalogException(MEMORY_LIMIT_KEY, "'" + config.memoryLimit()
                    + "' is not a size DuckDB accepts as memory_limit, e.g. 256MB or 1GiB");
        }
        if (config.threads() < 1) {
            throw new CatalogException(THREADS_KEY, "must be at least 1, found " + config.threads());
        }
        if (!STORAGE_VERSION.matcher(config.storageVersion()).matches()) {
            throw new CatalogException(STORAGE_VERSION_KEY, "'" + config.storageVersion()
                    + "' is not a DuckDB storage version: a release such as v1.4.0, or latest");
        }
    }

    /** The validated settings as DuckDB connection properties, with extensions never installed or loaded. */
    static Properties connectionSettings(DuckDbConfig config) {
        validate(config);
        return settings(config.memoryLimit().strip(), Integer.toString(config.threads()));
    }

    /**
     * Settings of a small in-memory DuckDB of the service's own (one thread, 64 MB, no extensions), a database
     * instance apart from the file's bounds: for planning checks at start and describing staged sources.
     */
    static Properties smallInMemorySettings() {
        return settings("64MB", "1");
    }

    private static Properties settings(String memoryLimit, String threads) {
        Properties settings = new Properties();
        settings.setProperty("autoinstall_known_extensions", "false");
        settings.setProperty("autoload_known_extensions", "false");
        settings.setProperty("memory_limit", memoryLimit);
        settings.setProperty("threads", threads);
        return settings;
    }
}
