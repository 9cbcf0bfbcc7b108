package io.duckload.events;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.Credentials;
import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.EventLog;
import io.duckload.testing.EventSchemas;
import io.duckload.testing.KafkaFlowTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;

/**
 * The events the running service puts on the real broker, as their bytes arrive, validated with a real JSON Schema
 * validator against {@code src/main/resources/io/duckload/contracts/} ({@link EventSchemas}): PartitionMaterialized
 * of partitioned (checks, dbt, backfill) and unpartitioned loads, PartitionFailed with and without partition and of
 * a backfill, and the PartitionRequested the API publishes for one partition and for a range.
 */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class WireEventSchemaTest extends KafkaFlowTest {

    @Test
    void emittedMaterializedAndFailedEventsConformToTheirSchemas() {
        List<JsonNode> materialized = new ArrayList<>();
        List<JsonNode> failed = new ArrayList<>();
        materialized.add(log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-03-01")));
        materialized.add(log.awaitEvent(MATERIALIZED, log.request("taxi_zones", null)));
        failed.add(log.awaitEvent(FAILED, log.request("taxi_trips", "2023-07-01")));
        failed.add(log.awaitEvent(FAILED, log.request("no_such_dataset_" + UUID.randomUUID().toString()
                .substring(0, 8), null)));
        failed.add(log.awaitEvent(FAILED, log.request("taxi_trips", "2023-13")));
        String backfill = EventLog.unique("bf");
        log.send("taxi_trips/backfill", "{\"requestId\":\"" + backfill + "\",\"dataset\":\"taxi_trips\","
                + "\"partitions\":{\"from\":\"2023-01\",\"to\":\"2023-07\"}}");
        materialized.add(log.awaitEvent(MATERIALIZED, backfill + "/2023-01-01"));
        failed.add(log.awaitEvent(FAILED, backfill + "/2023-07-01"));

        for (JsonNode event : materialized) {
            assertThat(EventSchemas.violations(EventSchemas.MATERIALIZED, event)).as("%s", event).isEmpty();
        }
        for (JsonNode event : failed) {
            assertThat(EventSchemas.violations(EventSchemas.FAILED, event)).as("%s", event).isEmpty();
        }
        // The variants the schemas describe are among them.
        assertThat(materialized).anySatisfy(e -> assertThat(e.has("partition")).isFalse())
                .anySatisfy(e -> assertThat(e.path("checks").isArray()).isTrue())
                .anySatisfy(e -> assertThat(e.has("dbt")).isTrue())
                .anySatisfy(e -> assertThat(e.has("backfill")).isTrue());
        assertThat(failed).anySatisfy(e -> assertThat(e.has("partition")).isFalse())
                .anySatisfy(e -> assertThat(e.has("backfill")).isTrue());
    }

    @Test
    void requestsTheApiPublishesConformToTheRequestSchema() {
        try (ConsumerTask<String, String> requests = companion.consumeStrings().withGroupId("test-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(EventLog.REQUESTS)) {
            String operator = Credentials.token("op-" + UUID.randomUUID(), Credentials.OPERATOR_ROLE);
            List<String> ids = new ArrayList<>();
            ids.add(given().auth().oauth2(operator).post("/datasets/test_csv/partitions/2023-01").then()
                    .statusCode(202).extract().path("requests[0].requestId"));
            ids.addAll(given().auth().oauth2(operator).contentType(ContentType.JSON)
                    .body("{\"from\":\"2023-01\",\"to\":\"2023-02\"}").post("/datasets/test_csv/requests").then()
                    .statusCode(202).extract().path("requests.requestId"));
            ids.add(given().auth().oauth2(operator).contentType(ContentType.JSON).body("{}")
                    .post("/datasets/taxi_zones/requests").then().statusCode(202).extract()
                    .path("requests[0].requestId"));

            List<ConsumerRecord<String, String>> published = Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> requests.getRecords().stream()
                            .filter(r -> ids.contains(EventLog.json(r).path("requestId").asText())).toList(),
                            found -> found.size() == ids.size());
            for (ConsumerRecord<String, String> record : published) {
                assertThat(EventSchemas.violations(EventSchemas.REQUESTED, EventLog.json(record)))
                        .as("%s", record.value()).isEmpty();
            }
        }
    }
}
