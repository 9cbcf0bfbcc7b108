package io.duckload.source;

import java.util.Set;

import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/**
 * How a source's answer maps to the error codes of PartitionFailed: the one table of HTTP status classes, the same
 * for http(s) and s3.
 */
final class SourceFailures {

    /** Answers a later identical request may not get: server busy, restarting or behind a failing gateway. */
    private static final Set<Integer> TRANSIENT = Set.of(408, 429, 500, 502, 503, 504);
    private static final Set<Integer> NOT_FOUND = Set.of(404, 410);
    private static final Set<Integer> FORBIDDEN = Set.of(401, 403);
    /** The longest part of a server's own explanation quoted in a failure message. */
    static final int MAX_QUOTED_CHARS = 300;

    private SourceFailures() {
    }

    /**
     * The code of an answer with HTTP status {@code status}: 404/410 not found, 401/403 forbidden, 408, 429, 500,
     * 502, 503 and 504 unreachable (transient, so retried). Every other status is a refusal of the request itself
     * (501 Not Implemented, 400, 405, 411, 412, 413, 414, 416, 431, 505, an unfollowed 3xx...): sending the same
     * request again cannot help, so it is permanent (issue 9: s3proxy 2.x answered 501 to checksum headers, and
     * four retries each only delayed the failure).
     */
    static ErrorCode codeOf(int status) {
        if (NOT_FOUND.contains(status)) {
            return ErrorCode.SOURCE_NOT_FOUND;
        }
        if (FORBIDDEN.contains(status)) {
            return ErrorCode.SOURCE_FORBIDDEN;
        }
        return TRANSIENT.contains(status) ? ErrorCode.SOURCE_UNREACHABLE : ErrorCode.SOURCE_REFUSED;
    }

    /**
     * The failure of fetching {@code location} answered with {@code status}; {@code serverSays} is the server's own
     * explanation (S3 error code and message, or the start of the body), quoted on one line when there is one.
     */
    static LoadException ofStatus(int status, String location, String serverSays) {
        String quoted = serverSays == null ? "" : serverSays.replaceAll("\\s+", " ").strip();
        if (quoted.length() > MAX_QUOTED_CHARS) {
            quoted = quoted.substring(0, MAX_QUOTED_CHARS) + "…";
        }
        return new LoadException(codeOf(status), "fetching " + location + " answered HTTP " + status
                + (quoted.isEmpty() ? "" : ": " + quoted));
    }

    /** A connection that failed, reset or stalled: transient. */
    static LoadException unreachable(String message, Throwable cause) {
        return new LoadException(ErrorCode.SOURCE_UNREACHABLE, message, cause);
    }
}
