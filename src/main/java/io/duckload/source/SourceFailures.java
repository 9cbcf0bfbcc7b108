package io.duckload.source;

import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/** How a source's answer maps to the error codes of PartitionFailed, the same for http(s) and s3. */
final class SourceFailures {

    private SourceFailures() {
    }

    /**
     * The failure of an answer with HTTP status {@code status}: 404/410 not found, 401/403 forbidden, 5xx, 408 and
     * 429 unreachable (transient, so retried), anything else not found.
     */
    static LoadException ofStatus(int status, String message) {
        if (status == 401 || status == 403) {
            return new LoadException(ErrorCode.SOURCE_FORBIDDEN, message);
        }
        if (status >= 500 || status == 429 || status == 408) {
            return new LoadException(ErrorCode.SOURCE_UNREACHABLE, message);
        }
        return new LoadException(ErrorCode.SOURCE_NOT_FOUND, message);
    }

    /** A connection that failed, reset or stalled: transient. */
    static LoadException unreachable(String message, Throwable cause) {
        return new LoadException(ErrorCode.SOURCE_UNREACHABLE, message, cause);
    }
}
