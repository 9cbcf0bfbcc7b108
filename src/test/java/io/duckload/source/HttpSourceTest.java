package io.duckload.source;

import static io.duckload.source.SourceTestSupport.assertFetchFails;
import static io.duckload.source.SourceTestSupport.assertStaged;
import static io.duckload.source.SourceTestSupport.config;
import static io.duckload.source.SourceTestSupport.freePort;
import static io.duckload.source.SourceTestSupport.rawServer;
import static io.duckload.source.SourceTestSupport.rowsOf;
import static io.duckload.source.SourceTestSupport.stall;
import static io.duckload.source.SourceTestSupport.zonesCsv;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.LoadMode;
import io.duckload.catalog.SourceFormat;
import io.duckload.catalog.Template;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/** http(s) sources against real servers on 127.0.0.1: the JDK's HttpServer, and raw sockets that misbehave. */
class HttpSourceTest {

    private static final byte[] CSV = "zone_id,zone\n1,Newark Airport\n2,Jamaica Bay\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private Path staging;
    private HttpServer server;
    private SourceFetcher fetcher;

    @BeforeEach
    void start() throws IOException {
        staging = dir.resolve("staging");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
        fetcher = new SourceFetcher(config(staging, "duckload.http.read-timeout", "PT1S",
                "duckload.http.request-timeout", "PT1S", "duckload.http.connect-timeout", "PT1S"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aSourceIsStreamedIntoStagingWithItsSizeSha256AndEtag() throws IOException {
        serveCsv("/zones.csv", "\"v1-abc\"");

        StagedSource source = fetcher.fetch(url("/zones.csv"), SourceFormat.CSV, "load-1");

        assertStaged(source, CSV, staging);
        assertThat(source.uri()).isEqualTo(url("/zones.csv"));
        assertThat(source.etag()).isEqualTo("\"v1-abc\"");
        assertThat(source.file().getFileName()).hasToString("load-1-zones.csv");
        assertThat(rowsOf(source)).isEqualTo(2);
        source.discard();
        assertThat(source.file()).doesNotExist();
    }

    @Test
    void aTokenInTheQueryStringIsUsedButNeverReported() throws IOException {
        String token = "tok-" + UUID.randomUUID();
        List<String> queries = new CopyOnWriteArrayList<>();
        serve("/zones.csv", exchange -> {
            queries.add(exchange.getRequestURI().getRawQuery());
            send(exchange, 200, CSV);
        });
        serve("/gone.csv", exchange -> send(exchange, 404, "no".getBytes(StandardCharsets.US_ASCII)));

        StagedSource source = fetcher.fetch(url("/zones.csv?token=" + token), SourceFormat.CSV, "load-1");
        source.discard();
        var failure = fails(url("/gone.csv?token=" + token), ErrorCode.SOURCE_NOT_FOUND);

        assertThat(queries).containsExactly("token=" + token);
        assertThat(source.uri()).isEqualTo(url("/zones.csv?…"));
        assertThat(failure.getMessage()).contains(url("/gone.csv?…")).doesNotContain(token);
    }

    @Test
    void aSourceWithoutEtagHasNone() throws IOException {
        serveCsv("/zones.csv", null);

        assertThat(fetcher.fetch(url("/zones.csv"), SourceFormat.CSV, "load-1").etag()).isNull();
    }

    @ParameterizedTest
    @CsvSource({ "404, SOURCE_NOT_FOUND", "410, SOURCE_NOT_FOUND", "401, SOURCE_FORBIDDEN", "403, SOURCE_FORBIDDEN",
            "500, SOURCE_UNREACHABLE", "502, SOURCE_UNREACHABLE", "503, SOURCE_UNREACHABLE", "504, SOURCE_UNREACHABLE",
            "408, SOURCE_UNREACHABLE", "429, SOURCE_UNREACHABLE", "501, SOURCE_REFUSED", "505, SOURCE_REFUSED",
            "400, SOURCE_REFUSED", "405, SOURCE_REFUSED", "411, SOURCE_REFUSED", "412, SOURCE_REFUSED",
            "413, SOURCE_REFUSED", "414, SOURCE_REFUSED", "416, SOURCE_REFUSED", "431, SOURCE_REFUSED" })
    void anErrorStatusHasItsCode(int status, ErrorCode code) throws IOException {
        serve("/zones.csv", exchange -> send(exchange, status, "no".getBytes(StandardCharsets.US_ASCII)));

        var failure = fails(url("/zones.csv"), code);
        assertThat(failure.getMessage()).contains("HTTP " + status);
        assertThat(failure.code().isTransient()).isEqualTo(code == ErrorCode.SOURCE_UNREACHABLE);
    }

    /**
     * A 501 will never succeed: one request, a permanent code the service's retry policy does not retry, and the
     * server's own explanation (the body's start, on one line) in the message.
     */
    @Test
    void aNotImplementedIsOneRequestPermanentWithTheServersMessage() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        String explanation = "<Error><Code>NotImplemented</Code>\n<Message>A header you provided implies"
                + " functionality that is not implemented</Message></Error>";
        serve("/zones.csv", exchange -> {
            requests.incrementAndGet();
            send(exchange, 501, explanation.getBytes(StandardCharsets.UTF_8));
        });

        var failure = fails(url("/zones.csv"), ErrorCode.SOURCE_REFUSED);

        assertThat(requests).hasValue(1);
        assertThat(failure.getMessage()).isEqualTo("fetching " + url("/zones.csv") + " answered HTTP 501: "
                + explanation.replace("\n", " "));
        assertThat(config(staging).retry().policy().retries(failure.code(), 1)).isFalse();
    }

    @Test
    void aLongErrorBodyIsQuotedOnlyInPart() throws IOException {
        String body = "x".repeat(10_000);
        serve("/zones.csv", exchange -> send(exchange, 400, body.getBytes(StandardCharsets.US_ASCII)));

        var failure = fails(url("/zones.csv"), ErrorCode.SOURCE_REFUSED);

        assertThat(failure.getMessage()).isEqualTo("fetching " + url("/zones.csv") + " answered HTTP 400: "
                + "x".repeat(SourceFailures.MAX_QUOTED_CHARS) + "…");
    }

    /**
     * A 5xx is transient: the fetch makes one request and fails, and the load's retry (the next fetch) succeeds.
     * No retry hides inside the fetch, so duckload.retry.max-attempts is the number of requests, not a factor.
     */
    @Test
    void aServerErrorIsTransientAndTheRetrySucceeds() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        serve("/zones.csv", exchange -> {
            if (requests.incrementAndGet() == 1) {
                send(exchange, 500, "busy".getBytes(StandardCharsets.US_ASCII));
            } else {
                send(exchange, 200, CSV);
            }
        });

        var failure = fails(url("/zones.csv"), ErrorCode.SOURCE_UNREACHABLE);
        assertThat(failure.code().isTransient()).isTrue();
        assertThat(requests).hasValue(1);

        assertStaged(fetcher.fetch(url("/zones.csv"), SourceFormat.CSV, "load-2"), CSV, staging);
        assertThat(requests).hasValue(2);
    }

    @Test
    void redirectsAreFollowed() throws IOException {
        serve("/old/zones.csv", exchange -> redirect(exchange, 301, "/moved/zones.csv"));
        serve("/moved/zones.csv", exchange -> redirect(exchange, 302, url("/zones.csv")));
        serveCsv("/zones.csv", "W/\"weak\"");

        StagedSource source = fetcher.fetch(url("/old/zones.csv"), SourceFormat.CSV, "load-1");

        assertStaged(source, CSV, staging);
        assertThat(source.uri()).as("the configured location is reported").isEqualTo(url("/old/zones.csv"));
        assertThat(source.etag()).isEqualTo("W/\"weak\"");
    }

    @ParameterizedTest
    @ValueSource(strings = { "zones.csv.gz", "zones.csv.zst" })
    void aCompressedCsvKeepsItsExtensionAndDuckDbReadsIt(String name) throws IOException {
        byte[] compressed = Files.readAllBytes(zonesCsv(dir.resolve(name), 263));
        serve("/" + name, exchange -> send(exchange, 200, compressed));
        Dataset zones = new Dataset("zones", "zones", Optional.empty(), LoadMode.REPLACE_TABLE, Optional.empty(),
                Template.parse("source", url("/" + name), java.util.Set.of()), Optional.empty(), Optional.empty(),
                Template.parse("select", "select * from {source}", java.util.Set.of("source")));

        StagedSource source = fetcher.fetch(zones, Optional.empty(), "load-1");

        assertStaged(source, compressed, staging);
        assertThat(source.format()).isEqualTo(SourceFormat.CSV);
        assertThat(source.file().getFileName()).hasToString("load-1-" + name);
        assertThat(rowsOf(source)).isEqualTo(263);
    }

    @Test
    void aBodySentWithContentEncodingGzipIsStagedAsGzip() throws IOException {
        byte[] gzip = Files.readAllBytes(zonesCsv(dir.resolve("zones.csv.gz"), 10));
        serve("/zones.csv", exchange -> {
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            send(exchange, 200, gzip);
        });

        StagedSource source = fetcher.fetch(url("/zones.csv"), SourceFormat.CSV, "load-1");

        assertThat(source.file().getFileName()).hasToString("load-1-zones.csv.gz");
        assertThat(source.sha256()).isEqualTo(SourceTestSupport.sha256(gzip));
        assertThat(rowsOf(source)).isEqualTo(10);
    }

    @Test
    void aConnectionResetMidBodyIsUnreachable() throws Exception {
        try (ServerSocket raw = rawServer(socket -> {
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nETag: \"x\"\r\n\r\n").getBytes(
                    StandardCharsets.US_ASCII));
            out.write(new byte[20_000]);
            out.flush();
            socket.setSoLinger(true, 0);
            socket.close();
        })) {
            var failure = fails(rawUrl(raw, "/big.csv"), ErrorCode.SOURCE_UNREACHABLE);
            assertThat(failure.code().isTransient()).isTrue();
        }
    }

    @ParameterizedTest(name = "after {0} bytes of the body")
    @ValueSource(ints = { 0, 10 })
    void aServerThatStallsTimesOutAfterTheReadTimeout(int sent) throws Exception {
        try (ServerSocket raw = rawServer(socket -> {
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(CSV, 0, sent);
            out.flush();
            stall(socket);
        })) {
            long started = System.nanoTime();
            var failure = fails(rawUrl(raw, "/big.csv"), ErrorCode.SOURCE_UNREACHABLE);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(failure.getMessage()).contains("no bytes of the body arrived for 1000 ms");
            assertThat(took).isBetween(READ_TIMEOUT, READ_TIMEOUT.plusSeconds(3));
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutAfterTheRequestTimeout() throws Exception {
        try (ServerSocket raw = rawServer(SourceTestSupport::stall)) {
            long started = System.nanoTime();
            var failure = fails(rawUrl(raw, "/zones.csv"), ErrorCode.SOURCE_UNREACHABLE);

            assertThat(failure.getMessage()).startsWith("timed out waiting for");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void aClosedPortIsUnreachable() throws IOException {
        int port = freePort();
        fails("http://127.0.0.1:" + port + "/zones.csv", ErrorCode.SOURCE_UNREACHABLE);
    }

    /** Fetches {@code location}, which must fail with {@code code} and leave staging empty. */
    private LoadException fails(String location, ErrorCode code) throws IOException {
        return assertFetchFails(fetcher, location, code, staging);
    }

    private void serveCsv(String path, String etag) {
        serve(path, exchange -> {
            if (etag != null) {
                exchange.getResponseHeaders().add("ETag", etag);
            }
            send(exchange, 200, CSV);
        });
    }

    private void serve(String path, Handler handler) {
        server.createContext(path, exchange -> {
            try (exchange) {
                handler.handle(exchange);
            }
        });
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(status, -1);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static String rawUrl(ServerSocket raw, String path) {
        return "http://127.0.0.1:" + raw.getLocalPort() + path;
    }

    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }
}
