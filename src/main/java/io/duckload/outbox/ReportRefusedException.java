package io.duckload.outbox;

import java.io.IOException;

/**
 * An integration's reply that a retry would not change: a 4xx other than 408 and 429, or a redirect the client does
 * not follow. The report is parked ({@link RefusedReports}) instead of retried.
 */
public final class ReportRefusedException extends IOException {

    /** How much of the reply body is kept: enough to name the cause, bounded for the outbox and the log. */
    static final int REPLY_KEPT = 200;

    private final int status;
    private final String reply;

    ReportRefusedException(int status, String body) {
        super("HTTP " + status + " " + start(body));
        this.status = status;
        this.reply = start(body);
    }

    /**
     * Whether an HTTP {@code status} refuses for good: 3xx (redirects are not followed) and 4xx except 408 (request
     * timeout) and 429 (too many requests), which a later attempt may pass; 5xx keep being retried.
     */
    static boolean isFinal(int status) {
        return status / 100 == 3 || (status / 100 == 4 && status != 408 && status != 429);
    }

    /** The status and the start of the reply, as stored with the parked report. */
    String refusal() {
        return status + " " + reply;
    }

    int status() {
        return status;
    }

    String reply() {
        return reply;
    }

    static String start(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() <= REPLY_KEPT ? text : text.substring(0, REPLY_KEPT) + "…";
    }
}
