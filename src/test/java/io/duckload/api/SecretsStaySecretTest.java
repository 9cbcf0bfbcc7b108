package io.duckload.api;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.duckload.catalog.Locations;
import io.duckload.testing.Browser;
import io.duckload.testing.Credentials;
import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.KafkaFlowTest;
import io.duckload.testing.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The service at DEBUG, with a token in its http sources' query strings and fake Kafka passwords in its
 * configuration: neither shows in events, API answers, the status page or anywhere in the whole log.
 */
@QuarkusTest
@TestProfile(SecretsStaySecretTest.DebugLogging.class)
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class SecretsStaySecretTest extends KafkaFlowTest {

    static final String JAAS_PASSWORD = "jaas-" + UUID.randomUUID();
    static final String SSL_PASSWORD = "ssl-" + UUID.randomUUID();
    static final Path LOG = ServiceProcess.buildDir().resolve("secrets-test-" + UUID.randomUUID() + ".log");

    /** DEBUG everywhere (Kafka's clients included), into a file of its own; fake secrets in the Kafka settings. */
    public static class DebugLogging implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("quarkus.log.level", "DEBUG");
            config.put("quarkus.log.category.\"org.apache.kafka\".level", "DEBUG");
            // Quarkus keeps the clients' config dumps at WARN; bring them back to see what they print.
            for (String dump : new String[] { "clients.consumer.ConsumerConfig", "clients.producer.ProducerConfig",
                    "clients.admin.AdminClientConfig", "common.config.AbstractConfig" }) {
                config.put("quarkus.log.category.\"org.apache.kafka." + dump + "\".level", "DEBUG");
            }
            // Not the service: the test's own HTTP client (RestAssured) logs the bearer token it sends and the
            // test's file server the URLs it is asked for. Everything of the service itself stays at DEBUG.
            config.put("quarkus.log.category.\"org.apache.http\".level", "INFO");
            config.put("quarkus.log.category.\"com.sun.net.httpserver\".level", "INFO");
            config.put("quarkus.log.file.enabled", "true");
            config.put("quarkus.log.file.path", LOG.toString());
            // One file, never rotated: the assertions read the whole log.
            config.put("quarkus.log.file.rotation.max-file-size", "4G");
            // Unused over PLAINTEXT, but read, merged and dumped like real settings.
            config.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"duckload\" password=\"" + JAAS_PASSWORD + "\";");
            config.put("kafka.ssl.truststore.password", SSL_PASSWORD);
            config.put("kafka.ssl.keystore.password", SSL_PASSWORD);
            config.put("kafka.ssl.key.password", SSL_PASSWORD);
            return config;
        }
    }

    @TestHTTPResource("/")
    URL page;

    @Test
    void tokensAndPasswordsShowNowhere() throws Exception {
        String token = DuckloadTestResource.SOURCE_TOKEN;
        String bearer = Credentials.token("op-" + UUID.randomUUID(), Credentials.OPERATOR_ROLE);
        // Through the API, so that the bearer token passes the log too.
        String zones = given().auth().oauth2(bearer).contentType(ContentType.JSON).body("{}")
                .post("/datasets/secret_zones/requests").then().statusCode(202).extract().jsonPath()
                .getString("requests[0].requestId");
        String missing = log.request("secret_missing", null);

        var materialized = log.awaitEvent(MATERIALIZED, zones);
        var failed = log.awaitEvent(FAILED, missing);
        String sourceUri = materialized.path("source").path("uri").asText();
        assertThat(sourceUri).startsWith("http://127.0.0.1:").endsWith("/taxi_zones.csv" + Locations.QUERY_REDACTED);
        assertThat(failed.path("error").path("message").asText()).contains("no_such_file.csv" + Locations.QUERY_REDACTED)
                .contains("404");
        assertThat(log.records(MATERIALIZED)).allSatisfy(r -> assertThat(r.value()).doesNotContain(token));
        assertThat(log.records(FAILED)).allSatisfy(r -> assertThat(r.value()).doesNotContain(token));

        String datasets = given().get("/datasets").then().statusCode(200).extract().asString();
        assertThat(datasets).contains("taxi_zones.csv" + Locations.QUERY_REDACTED).doesNotContain(token);
        assertThat(given().get("/datasets/secret_missing/partitions").then().statusCode(200).extract().asString())
                .contains("404").doesNotContain(token);
        assertThat(given().get("/datasets/secret_missing/summary").then().statusCode(200).extract().asString())
                .contains("404").doesNotContain(token);
        if (Browser.available()) {
            try (Browser browser = new Browser(1280, 900)) {
                String dom = (String) browser.open(page.toString().replace("localhost", "127.0.0.1"))
                        .script("return document.documentElement.outerHTML");
                assertThat(dom).contains("data-dataset=\"secret_missing\"").contains("404").doesNotContain(token);
            }
        }

        String whole = Files.readString(LOG);
        assertThat(whole).contains("DEBUG").contains(zones).contains(missing).contains("ConsumerConfig values")
                .contains("sasl.jaas.config = [hidden]");
        assertThat(whole).doesNotContain(token).doesNotContain(JAAS_PASSWORD).doesNotContain(SSL_PASSWORD)
                .doesNotContain(bearer).doesNotContain(Credentials.basicHash());
    }
}
