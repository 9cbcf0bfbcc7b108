package io.duckload.source;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.Locations;
import io.duckload.catalog.SourceFormat;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/**
 * An http(s) URL, streamed into staging. Redirects are followed (never from https to http); connecting, the
 * wait for the headers and every wait for more of the body are bounded by the {@code duckload.http} timeouts.
 * One fetch is one request: a transient failure (connection refused or reset, timeout, 500/502/503/504, 408, 429)
 * is retried with backoff by the caller, up to {@code duckload.retry.max-attempts} in all; how statuses are
 * classified is {@link SourceFailures}.
 */
final class HttpSource implements Source {

    private final DuckloadConfig.Http config;
    private final Staging staging;
    private final HttpClient client;

    HttpSource(DuckloadConfig.Http config, Staging staging) {
        this.config = config;
        this.staging = staging;
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public StagedSource fetch(String location, SourceFormat format, String loadId) {
        // What messages, logs and events show: the query string may hold a token, the user-info a password.
        String shown = Locations.redact(location);
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            throw new LoadException(ErrorCode.SOURCE_NOT_FOUND, "not a valid URL: " + shown, e);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.requestTimeout()).GET().build();
        try {
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = client.send(request,
                    HttpResponse.BodyHandlers.ofPublisher());
            try (IdleTimeoutBody body = new IdleTimeoutBody(config.readTimeout())) {
                response.body().subscribe(body);
                int status = response.statusCode();
                if (status != 200) {
                    throw SourceFailures.ofStatus(status, shown, Locations.redactText(bodyStart(body)));
                }
                return staging.write(body, shown, uri.getPath(),
                        response.headers().firstValue("Content-Encoding"),
                        response.headers().firstValue("ETag").orElse(null), format, loadId,
                        response.headers().firstValueAsLong("Content-Length").orElse(-1));
            }
        } catch (HttpTimeoutException e) {
            throw SourceFailures.unreachable("timed out waiting for " + shown + ": "
                    + Locations.redactText(e.getMessage()), e);
        } catch (IOException e) {
            throw SourceFailures.unreachable("cannot fetch " + shown + ": " + Locations.redactText(e.toString()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SourceFailures.unreachable("interrupted fetching " + shown, e);
        }
    }

    /**
     * The start of an error answer's body, the server's own explanation (the JDK client keeps no reason phrase);
     * empty when the body stalls or breaks, as the status alone decides the failure.
     */
    private static String bodyStart(IdleTimeoutBody body) {
        try {
            return new String(body.readNBytes(SourceFailures.MAX_QUOTED_CHARS + 1), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
