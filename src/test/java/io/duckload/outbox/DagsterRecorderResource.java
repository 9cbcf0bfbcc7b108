package io.duckload.outbox;

import java.util.Map;

import io.duckload.testing.RecordingHttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A recording stand-in for a Dagster+ deployment ({@code /prod}), and duckload pointed at it with a token. */
public class DagsterRecorderResource implements QuarkusTestResourceLifecycleManager {

    static final String TOKEN = "dagster-test-token";
    static final String DEPLOYMENT = "/prod";
    private static RecordingHttpServer dagster;

    @Override
    public Map<String, String> start() {
        dagster = RecordingHttpServer.started();
        // A random HTTP port: other builds on this machine run their own @QuarkusTests on the default 8081.
        return Map.of("duckload.dagster.url", dagster.url(DEPLOYMENT), "duckload.dagster.token", TOKEN,
                "duckload.datasets.taxi_zones.dagster.asset-key", "nyc/taxi_zones", "quarkus.http.test-port", "0");
    }

    @Override
    public void stop() {
        if (dagster != null) {
            dagster.close();
        }
    }

    static RecordingHttpServer dagster() {
        return dagster;
    }
}
