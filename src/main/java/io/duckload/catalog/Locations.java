package io.duckload.catalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redacts source locations wherever they are shown (events, API, page, logs, failure messages): a query string may
 * carry a token or a presigned signature and user-info a password, so only scheme, host, port and path remain.
 */
public final class Locations {

    /** What replaces a dropped query string, so a reader sees that something was there. */
    public static final String QUERY_REDACTED = "?…";

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    /** A URL inside free text: scheme, "://", then everything up to white space or a quote. */
    private static final Pattern URL_IN_TEXT = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'<>]+");

    private Locations() {
    }

    /**
     * {@code location} without user-info, query string and fragment; a plain path (no {@code scheme://}) is returned
     * as it is. Works on templates too ({@code {YYYY-MM}} is not valid in a {@link java.net.URI}).
     */
    public static String redact(String location) {
        if (location == null) {
            return null;
        }
        int separator = location.indexOf("://");
        if (separator <= 0 || !SCHEME.matcher(location.substring(0, separator)).matches()) {
            return location;
        }
        int authority = separator + 3;
        int query = location.indexOf('?', authority);
        int fragment = location.indexOf('#', authority);
        int end = min(query, fragment, location.length());
        String kept = location.substring(0, end);
        int slash = kept.indexOf('/', authority);
        int at = kept.lastIndexOf('@', slash < 0 ? kept.length() - 1 : slash - 1);
        if (at >= authority) {
            kept = kept.substring(0, authority) + kept.substring(at + 1);
        }
        return query >= 0 && query == end ? kept + QUERY_REDACTED : kept;
    }

    /** {@code text} with every URL in it redacted, for messages that may quote a location (an HTTP error, say). */
    public static String redactText(String text) {
        if (text == null) {
            return null;
        }
        Matcher url = URL_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (url.find()) {
            url.appendReplacement(out, Matcher.quoteReplacement(redact(url.group())));
        }
        url.appendTail(out);
        return out.toString();
    }

    private static int min(int a, int b, int otherwise) {
        int result = otherwise;
        if (a >= 0) {
            result = Math.min(result, a);
        }
        if (b >= 0) {
            result = Math.min(result, b);
        }
        return result;
    }
}
