package io.duckload.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP server on 127.0.0.1 that answers every POST with 200 {@code {}} and records it, standing in for Dagster
 * or an OpenLineage endpoint. {@link #down()} closes its socket (connections are refused) and {@link #up()} opens it
 * again on the same port; {@link #answer} makes it answer matching requests with another status.
 */
public final class RecordingHttpServer implements AutoCloseable {

    /** One request as received, and the status it was answered with. */
    public record Recorded(String method, String path, String token, String contentType, String body, int status) {

        public JsonNode json() {
            return EventLog.json(body);
        }
    }

    private final int port;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private HttpServer server;

    private RecordingHttpServer(int port) {
        this.port = port;
    }

    /** A server on a free port, listening. */
    public static RecordingHttpServer started() {
        RecordingHttpServer recorder = new RecordingHttpServer(KafkaBroker.freePort());
        recorder.up();
        return recorder;
    }

    /** A server on a free port that is not listening yet: Dagster down from the start. */
    public static RecordingHttpServer notListening() {
        return new RecordingHttpServer(KafkaBroker.freePort());
    }

    public synchronized void up() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port, e);
        }
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Recorded received = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestHeaders().getFirst("Dagster-Cloud-Api-Token"),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body, 200);
                Answer answer = answers.stream().filter(a -> a.match().test(received)).findFirst()
                        .orElse(new Answer(r -> true, 200, "{}"));
                requests.add(new Recorded(received.method(), received.path(), received.token(),
                        received.contentType(), body, answer.status()));
                byte[] reply = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.status(), reply.length);
                exchange.getResponseBody().write(reply);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** How requests matching {@code match} are answered (instead of 200 {@code {}}). */
    private record Answer(Predicate<Recorded> match, int status, String body) {
    }

    /**
     * Answers requests matching {@code match} with {@code status} and {@code body} until {@link #answerAllWith200};
     * the first matching rule wins.
     */
    public void answer(Predicate<Recorded> match, int status, String body) {
        answers.add(new Answer(match, status, body));
    }

    /** Drops every {@link #answer} rule: the integration is fixed. */
    public void answerAllWith200() {
        answers.clear();
    }

    /** Stops listening; clients now get "connection refused". */
    public synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Base URL below which requests are expected, e.g. {@code http://127.0.0.1:1234/prod}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** Requests matching {@code match}. */
    public List<Recorded> requests(Predicate<Recorded> match) {
        return requests.stream().filter(match).toList();
    }

    /** Waits until a request matches {@code match} and returns the first one that does. */
    public Recorded await(Predicate<Recorded> match, Duration timeout) {
        return Awaitility.await().atMost(timeout).until(() -> requests(match), found -> !found.isEmpty()).get(0);
    }

    @Override
    public void close() {
        down();
    }
}
