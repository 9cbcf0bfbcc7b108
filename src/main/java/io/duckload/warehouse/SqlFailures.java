package io.duckload.warehouse;

import java.sql.SQLException;

import io.duckload.ingest.ErrorCode;
import io.duckload.ingest.LoadException;

/** Maps DuckDB's error messages to duckload's stable error codes. */
final class SqlFailures {

    private SqlFailures() {
    }

    static LoadException classify(SQLException e) {
        String message = String.valueOf(e.getMessage());
        String firstLine = message.lines().findFirst().orElse(message);
        return new LoadException(code(message), firstLine, e);
    }

    static ErrorCode code(String message) {
        if (message.contains("Could not set lock on file") || message.contains("Conflicting lock")) {
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
