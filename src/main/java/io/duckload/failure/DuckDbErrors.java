package io.duckload.failure;

import java.sql.SQLException;

/** DuckDB's error messages, read in one place: which are lock conflicts, which are fatal, and their stable codes. */
public final class DuckDbErrors {

    private DuckDbErrors() {
    }

    /** A failure of DuckDB as a {@link LoadException} with its stable code and the message's first line. */
    public static LoadException classify(SQLException e) {
        String message = String.valueOf(e.getMessage());
        String firstLine = message.lines().findFirst().orElse(message);
        return new LoadException(code(message), firstLine, e);
    }

    /**
     * A failure to open the DuckDB file: its own database code where DuckDB says what is wrong (read-only, corrupt,
     * full), else {@code DATABASE_UNAVAILABLE}.
     */
    public static LoadException classifyOpen(String file, Exception e) {
        String message = String.valueOf(e.getMessage());
        ErrorCode code = code(message);
        if (!code.isDatabase()) {
            code = message.contains("Read-only file system") ? ErrorCode.DATABASE_READ_ONLY
                    : ErrorCode.DATABASE_UNAVAILABLE;
        }
        return new LoadException(code, "cannot open DuckDB file " + file + ": " + firstLine(message), e);
    }

    private static String firstLine(String message) {
        return message.lines().findFirst().orElse(message);
    }

    /** Another process holds the file's lock (dbt, a second duckload): waiting can help. */
    public static boolean isLockConflict(Throwable e) {
        return isLockConflict(String.valueOf(e.getMessage()));
    }

    /** A fatal error left DuckDB's in-process instance unusable ("database has been invalidated"): reopen it. */
    public static boolean isInvalidated(Throwable e) {
        return String.valueOf(e.getMessage()).contains("invalidated");
    }

    static boolean isLockConflict(String message) {
        // The last: another DuckDB instance in this JVM (a test, an embedding application) has the file open.
        return message.contains("Could not set lock on file") || message.contains("Conflicting lock")
                || message.contains("Unique file handle conflict");
    }

    static ErrorCode code(String message) {
        if (isLockConflict(message)) {
            return ErrorCode.DATABASE_UNAVAILABLE;
        }
        // DuckDB only reads sources: a failed write concerns the database file, its WAL, its temp files or an export.
        if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
            return ErrorCode.DATABASE_FULL;
        }
        if (message.contains("Read-only file system") || message.contains("read-only mode")
                || message.contains("Could not write file") && message.contains("Permission denied")) {
            return ErrorCode.DATABASE_READ_ONLY;
        }
        // Before "invalidated": a fatal error after corruption quotes the corruption as its original error.
        if (message.contains("not a valid DuckDB database file") || message.startsWith("Data Corruption Error")
                || message.contains("Corrupt database file") || message.contains("does not match stored checksum")) {
            return ErrorCode.DATABASE_CORRUPT;
        }
        if (message.contains("Could not write file") || message.contains("Failed to commit")
                || message.contains("invalidated")) {
            return ErrorCode.DATABASE_UNAVAILABLE;
        }
        if (message.contains("No files found that match")) {
            return ErrorCode.SOURCE_NOT_FOUND;
        }
        if (message.startsWith("Binder Error") || message.startsWith("Conversion Error")) {
            return ErrorCode.SOURCE_SCHEMA_MISMATCH;
        }
        if (message.startsWith("Invalid Input Error") || message.startsWith("IO Error")
                || message.contains("CSV Error")) {
            return ErrorCode.SOURCE_FORMAT_INVALID;
        }
        return ErrorCode.SQL_ERROR;
    }
}
