package io.duckload;

import static io.duckload.testing.EventLog.MATERIALIZED;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.duckload.testing.Credentials;
import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaBroker;
import io.duckload.testing.ServiceProcess;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The HTTP surface of the packaged service (the jar, or under {@code -Pnative} the native executable), configured
 * as an operator would: bearer JWTs verified against a public key file, a basic-auth user, the status page's static
 * files with their security headers, Prometheus metrics and the OpenAPI document.
 */
class ApiSurfaceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tokensAndUsersAreCheckedAndThePageMetricsAndOpenApiAreServed(@TempDir Path dir) throws Exception {
        Fixtures.tripsParquet(dir.resolve("sources/yellow_tripdata_2023-05.parquet"), "2023-05", 500);
        Fixtures.tripsParquet(dir.resolve("sources/yellow_tripdata_2023-06.parquet"), "2023-06", 600);
        try (KafkaBroker broker = KafkaBroker.start()) {
            Map<String, String> env = ServiceProcess.environment(broker.bootstrapServers(),
                    dir.resolve("data/duckload.duckdb"), dir.resolve("staging"), dir.resolve("sources"));
            Credentials.serviceConfig(dir).forEach((key, value) -> env.put(environmentName(key), value));
            try (KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers());
                    EventLog log = new EventLog(companion);
                    ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env,
                            ServiceProcess.buildDir().resolve("it-logs/api-surface.log"),
                            Credentials.operatorOptions())) {
                String operator = "Bearer " + Credentials.token("op-" + UUID.randomUUID(), Credentials.OPERATOR_ROLE);
                String reader = "Bearer " + Credentials.token("reader-" + UUID.randomUUID(), "reader");
                String forged = "Bearer " + Credentials.foreignToken("forger", Credentials.OPERATOR_ROLE);

                assertThat(service.post("/datasets/taxi_trips/partitions/2023-05", forged).statusCode()).isEqualTo(401);
                assertThat(service.post("/datasets/taxi_trips/partitions/2023-05", reader).statusCode()).isEqualTo(403);
                HttpResponse<String> byToken = service.post("/datasets/taxi_trips/partitions/2023-05", operator);
                assertThat(byToken.statusCode()).isEqualTo(202);
                HttpResponse<String> byUser = service.post("/datasets/taxi_trips/partitions/2023-06");
                assertThat(byUser.statusCode()).isEqualTo(202);

                assertThat(log.awaitEvent(MATERIALIZED, requestId(byToken)).path("rowsInserted").asLong())
                        .isEqualTo(500);
                assertThat(log.awaitEvent(MATERIALIZED, requestId(byUser)).path("rowsInserted").asLong())
                        .isEqualTo(600);
                JsonNode partitions = JSON.readTree(service.get("/datasets/taxi_trips/partitions").body());
                assertThat(partitions.toString()).contains("2023-05", "2023-06");

                HttpResponse<String> page = service.get("/");
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("<html");
                assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                        .contains("default-src 'none'");
                assertThat(service.get("/status.js").statusCode()).isEqualTo(200);
                HttpResponse<String> metrics = service.get("/q/metrics");
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.body()).contains("duckload_");
                HttpResponse<String> openApi = service.get("/q/openapi?format=json");
                assertThat(openApi.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(openApi.body()).path("components").path("securitySchemes").has("bearer"))
                        .isTrue();
            }
        }
    }

    private static String requestId(HttpResponse<String> accepted) throws Exception {
        return JSON.readTree(accepted.body()).path("requests").path(0).path("requestId").asText();
    }

    /** MicroProfile Config's environment form of a key: every character not alphanumeric becomes _, upper case. */
    private static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }
}
