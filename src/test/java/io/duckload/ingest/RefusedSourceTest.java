package io.duckload.ingest;

import static io.duckload.testing.EventLog.FAILED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.duckload.testing.KafkaFlowTest;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A source server that answers 501 Not Implemented is asked once: the load fails at once as SOURCE_REFUSED with
 * the server's explanation, although the service retries transient failures (3 attempts in the test resource).
 */
@QuarkusTest
@TestProfile(RefusedSourceTest.WithRefusingServer.class)
class RefusedSourceTest extends KafkaFlowTest {

    static final String EXPLANATION = "NotImplemented: range requests are not implemented here";

    @Test
    void aSourceAnswering501IsAskedOnceAndTheLoadFailsAsRefused() {
        int before = RefusingServer.REQUESTS.get();

        JsonNode failed = log.awaitEvent(FAILED, log.request("refused_csv", null));

        assertThat(failed.path("error").path("code").asText()).as(failed.toString()).isEqualTo("SOURCE_REFUSED");
        assertThat(failed.path("error").path("message").asText()).endsWith("answered HTTP 501: " + EXPLANATION);
        assertThat(failed.path("attempts").asInt()).isEqualTo(1);
        assertThat(RefusingServer.REQUESTS.get() - before).isEqualTo(1);
    }

    /** Adds a dataset whose source is the refusing server. */
    public static class WithRefusingServer implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RefusingServer.class));
        }
    }

    /** An HTTP server on 127.0.0.1 that answers every request with 501 and counts them. */
    public static class RefusingServer implements QuarkusTestResourceLifecycleManager {
        static final AtomicInteger REQUESTS = new AtomicInteger();
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", exchange -> {
                try (exchange) {
                    REQUESTS.incrementAndGet();
                    byte[] body = EXPLANATION.getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(501, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            server.start();
            String dataset = "duckload.datasets.refused_csv.";
            return Map.of(dataset + "table", "refused_rows", dataset + "mode", "replace-table",
                    dataset + "source", "http://127.0.0.1:" + server.getAddress().getPort() + "/rows.csv",
                    dataset + "select", "select * from {source}");
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }
}
