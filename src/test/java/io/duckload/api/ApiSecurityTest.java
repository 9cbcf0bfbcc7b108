package io.duckload.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.duckload.testing.Credentials;
import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.EventLog;
import io.duckload.testing.KafkaFlowTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Who may call the API: writes need the operator role (bearer JWT or basic user), are refused with 401/403 otherwise
 * and then publish nothing; reads, health and metrics stay open; responses carry the security headers.
 */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class ApiSecurityTest extends KafkaFlowTest {

    /** test_csv partitions no other test requests, so the request topic holds this test's records only. */
    private static final String ANONYMOUS_PATH = "/datasets/test_csv/partitions/2023-09";
    private static final String ANONYMOUS_KEY = "test_csv/2023-09-01";

    @Test
    void refusedWritesPublishNothingAndAnOperatorsWritePublishesOne() {
        long before = recordsWithKey(ANONYMOUS_KEY);
        String reader = Credentials.token("reader-" + UUID.randomUUID(), "reader");

        given().post(ANONYMOUS_PATH).then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"from\":\"2023-09\",\"to\":\"2023-09\"}")
                .post("/datasets/test_csv/requests").then().statusCode(401);
        given().auth().oauth2(reader).post(ANONYMOUS_PATH).then().statusCode(403);
        given().auth().oauth2(reader).contentType(ContentType.JSON).body("{\"from\":\"2023-09\",\"to\":\"2023-09\"}")
                .post("/datasets/test_csv/requests").then().statusCode(403);
        given().auth().oauth2(Credentials.foreignToken("forger", Credentials.OPERATOR_ROLE)).post(ANONYMOUS_PATH)
                .then().statusCode(401);
        given().auth().preemptive().basic(Credentials.BASIC_USER, "wrong-" + Credentials.BASIC_PASSWORD)
                .post(ANONYMOUS_PATH).then().statusCode(401);

        assertThat(recordsWithKey(ANONYMOUS_KEY)).isEqualTo(before);

        // The same count sees an accepted request: the zero delta above is not blindness.
        given().auth().oauth2(Credentials.token("op-" + UUID.randomUUID(), Credentials.OPERATOR_ROLE))
                .post(ANONYMOUS_PATH).then().statusCode(202).body("requests[0].partition", equalTo("2023-09-01"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> recordsWithKey(ANONYMOUS_KEY) == before + 1);
    }

    @Test
    void aBasicAuthOperatorMayWrite() {
        String requestId = given().auth().preemptive().basic(Credentials.BASIC_USER, Credentials.BASIC_PASSWORD)
                .post("/datasets/test_csv/partitions/2023-01").then().statusCode(202).extract().jsonPath()
                .getString("requests[0].requestId");

        assertThat(log.awaitEvent(EventLog.MATERIALIZED, requestId).path("rowsInserted").asLong()).isEqualTo(2);
    }

    @Test
    void readsHealthAndMetricsAreOpen() {
        given().get("/datasets").then().statusCode(200);
        given().get("/datasets/test_csv/partitions").then().statusCode(200);
        given().get("/database").then().statusCode(200);
        given().get("/").then().statusCode(200);
        given().get("/status.js").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("duckload_"));
    }

    @Test
    void responsesCarryTheSecurityHeaders() {
        for (String path : List.of("/", "/datasets")) {
            var headers = given().get(path).then().statusCode(200).extract().headers();
            String policy = headers.getValue("Content-Security-Policy");
            assertThat(policy).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline");
            assertThat(headers.getValue("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(headers.getValue("X-Frame-Options")).isEqualTo("DENY");
            assertThat(headers.getValue("Referrer-Policy")).isEqualTo("no-referrer");
        }
    }

    @Test
    void theOpenApiDocumentDeclaresBearerAndBasic() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("components.securitySchemes.basic.scheme", equalTo("basic"))
                .body("paths.'/datasets/{name}/requests'.post.security[0]", hasKey("bearer"))
                .body("paths.'/datasets/{name}/partitions'.get", org.hamcrest.Matchers.not(hasKey("security")));
    }

    /** Records on the request topic with {@code key}, read from the beginning up to the current end. */
    private static long recordsWithKey(String key) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(EventLog.REQUESTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long count = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        count++;
                    }
                }
            }
            return count;
        }
    }
}
