package io.duckload.failure;

/**
 * Stable codes of {@code PartitionFailed.error.code}: users grep and alert on these, so never rename one.
 * Transient codes are retried with backoff before they are reported.
 */
public enum ErrorCode {
    /** The request names a dataset the catalog does not define. */
    UNKNOWN_DATASET(false),
    /** A partitioned dataset was requested without a partition. */
    PARTITION_REQUIRED(false),
    /** A partition was given for a dataset that has none. */
    PARTITION_NOT_APPLICABLE(false),
    /** The partition key is not a valid key of the dataset's partitioning. */
    INVALID_PARTITION(false),
    /** The partition is before the dataset's start, at or after its end, or in the future. */
    PARTITION_OUT_OF_RANGE(false),
    /** The source does not exist (missing file, HTTP 404/410). */
    SOURCE_NOT_FOUND(false),
    /** The source exists but may not be read (permissions, HTTP 401/403). */
    SOURCE_FORBIDDEN(false),
    /** The source is not a readable file of the dataset's format (not parquet, truncated, bad CSV). */
    SOURCE_FORMAT_INVALID(false),
    /** The source lacks a column the select needs, or its types do not fit the table. */
    SOURCE_SCHEMA_MISMATCH(false),
    /**
     * The server refused the request itself (HTTP 501 and other protocol refusals such as 400, 405, 412, 416, 505;
     * S3 NotImplemented, InvalidArgument): asking again the same way cannot succeed.
     */
    SOURCE_REFUSED(false),
    /** The source could not be reached: connection refused or reset, timeout, HTTP 500/502/503/504, 408, 429. */
    SOURCE_UNREACHABLE(true),
    /** The DuckDB file could not be opened or written (not a lock held by dbt: that is waited for). */
    DATABASE_UNAVAILABLE(true),
    /** The disk under the DuckDB file (or its WAL, or an export) is full; the load was rolled back. */
    DATABASE_FULL(true),
    /** The DuckDB file or its directory may not be written (read-only mount, permissions). */
    DATABASE_READ_ONLY(true),
    /** The DuckDB file is not a valid DuckDB database, or a checksum failed: an operator must restore it. */
    DATABASE_CORRUPT(false),
    /** A check of the dataset with severity error failed on the new rows; the load was rolled back. */
    CHECK_FAILED(false),
    /** Any other error DuckDB reported while loading. */
    SQL_ERROR(false),
    /** A failure duckload did not expect; the message says more. */
    INTERNAL(false);

    private final boolean transientFailure;

    ErrorCode(boolean transientFailure) {
        this.transientFailure = transientFailure;
    }

    /** Whether a retry may succeed without anything changing in the request or the source. */
    public boolean isTransient() {
        return transientFailure;
    }

    /** Whether the failure lies with the DuckDB file (or the disk under it), not with the request or its source. */
    public boolean isDatabase() {
        return name().startsWith("DATABASE_");
    }
}
