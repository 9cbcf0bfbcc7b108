package io.duckload.outbox;

import java.util.Map;
import java.util.UUID;

import io.duckload.testing.RecordingHttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A recording stand-in for an OpenLineage HTTP endpoint, and duckload sending run events there and to a topic. */
public class OpenLineageResource implements QuarkusTestResourceLifecycleManager {

    static final String PATH = "/api/v1/lineage";
    static final String NAMESPACE = "nyc-test";
    private static RecordingHttpServer endpoint;
    private static String topic;

    @Override
    public Map<String, String> start() {
        endpoint = RecordingHttpServer.started();
        topic = "openlineage-" + UUID.randomUUID();
        // A random HTTP port: other builds on this machine run their own @QuarkusTests on the default 8081.
        return Map.of("duckload.openlineage.url", endpoint.url(PATH), "duckload.openlineage.topic", topic,
                "duckload.openlineage.namespace", NAMESPACE, "quarkus.http.test-port", "0");
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
}
