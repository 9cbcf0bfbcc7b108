package io.duckload.warehouse;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a load changed, known inside its transaction just before the commit.
 *
 * @param rowsInserted rows the load inserted
 * @param rowsDeleted rows the load removed
 * @param committedAt when the load commits
 * @param export the parquet file the load was exported to, if the dataset exports
 * @param checks the results of the dataset's checks on this load, in name order
 * @param sourceSchema fingerprint of the source file's columns ({@code sha256:<hex>}); null when not known
 * @param tableSchema fingerprint of the table's columns after the load ({@code sha256:<hex>}); null when not known
 * @param writerStartedAt when the writer began the unit of work that wrote it (a wait for the file lock included);
 *        null when not written by the writer
 */
public record LoadOutcome(long rowsInserted, long rowsDeleted, Instant committedAt, Optional<Path> export,
        List<CheckResult> checks, String sourceSchema, String tableSchema, Instant writerStartedAt) {

    public LoadOutcome(long rowsInserted, long rowsDeleted, Instant committedAt, Optional<Path> export,
            List<CheckResult> checks, String sourceSchema, String tableSchema) {
        this(rowsInserted, rowsDeleted, committedAt, export, checks, sourceSchema, tableSchema, null);
    }

    /** The same outcome, written by the unit of work the writer began at {@code startedAt}. */
    LoadOutcome writtenFrom(Instant startedAt) {
        return new LoadOutcome(rowsInserted, rowsDeleted, committedAt, export, checks, sourceSchema, tableSchema,
                startedAt);
    }

    public LoadOutcome(long rowsInserted, long rowsDeleted, Instant committedAt, Optional<Path> export,
            List<CheckResult> checks, String sourceSchema) {
        this(rowsInserted, rowsDeleted, committedAt, export, checks, sourceSchema, null);
    }

    public LoadOutcome(long rowsInserted, long rowsDeleted, Instant committedAt, Optional<Path> export) {
        this(rowsInserted, rowsDeleted, committedAt, export, List.of(), null);
    }

    public LoadOutcome(long rowsInserted, long rowsDeleted, Instant committedAt) {
        this(rowsInserted, rowsDeleted, committedAt, Optional.empty());
    }
}
