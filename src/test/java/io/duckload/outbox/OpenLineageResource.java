package io.duckload.outbox;

import java.util.Map;
import java.util.UUID;

import io.duckload.testing.KafkaBroker;
import io.duckload.testing.RecordingHttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A recording stand-in for an OpenLineage HTTP endpoint, and duckload sending run events there and to a topic, its
 * own facets' schemas served at {@link #serviceUrl()}.
 */
public class OpenLineageResource implements QuarkusTestResourceLifecycleManager {

    static final String PATH = "/api/v1/lineage";
    static final String NAMESPACE = "nyc-test";
    private static RecordingHttpServer endpoint;
    private static String topic;
    private static String serviceUrl;

    @Override
    public Map<String, String> start() {
        endpoint = RecordingHttpServer.started();
        topic = "openlineage-" + UUID.randomUUID();
        // A free port of its own (other builds on this machine run their own @QuarkusTests on the default 8081),
        // known before the start: the custom facets' _schemaURL points at this service.
        int port = KafkaBroker.freePort();
        serviceUrl = "http://127.0.0.1:" + port;
        return Map.of("duckload.openlineage.url", endpoint.url(PATH), "duckload.openlineage.topic", topic,
                "duckload.openlineage.namespace", NAMESPACE, "quarkus.http.test-port", String.valueOf(port),
                "duckload.openlineage.schema-base-url", serviceUrl);
    }

    @Override
    public void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    static RecordingHttpServer endpoint() {
        return endpoint;
    }

    static String topic() {
        return topic;
    }

    /** The service's base URL, as {@code duckload.openlineage.schema-base-url} names it. */
    static String serviceUrl() {
        return serviceUrl;
    }
}
