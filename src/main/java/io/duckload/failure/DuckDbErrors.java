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

    /** Another process holds the file's lock (dbt, a second duckload): waiting can help. */
    public static boolean isLockConflict(Throwable e) {
        return isLockConflict(String.valueOf(e.getMessage()));
    }

    /** A fatal error left DuckDB's in-process instance unusable ("database has been invalidated"): reopen it. */
    public static boolean isInvalidated(Throwable e) {
        return String.valueOf(e.getMessage()).contains("invalidated");
    }

    static boolean isLockConflict(String message) {
        return message.contains("Could not set lock on file") || message.contains("Conflicting lock");
    }

    static ErrorCode code(String message) {
        if (isLockConflict(message)) {
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
