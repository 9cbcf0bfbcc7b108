package io.duckload.api;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.Credentials;
import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.EventLog;
import io.duckload.testing.KafkaFlowTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** The HTTP API against the running service: catalog, partition statuses, requests and their errors. */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class DatasetApiTest extends KafkaFlowTest {

    @Test
    void listsTheCatalog() {
        JsonPath datasets = given().get("/datasets").then().statusCode(200).extract().jsonPath();

        assertThat(datasets.<String>getList("name")).contains("taxi_trips", "taxi_zones").isSorted();
        Map<String, Object> trips = datasets.getMap("find { it.name == 'taxi_trips' }");
        assertThat(trips).containsEntry("table", "trips").containsEntry("mode", "replace-partition");
        assertThat((String) trips.get("source")).endsWith("yellow_tripdata_{YYYY-MM}.parquet");
        assertThat(datasets.getString("find { it.name == 'taxi_trips' }.partitioning.granularity")).isEqualTo("monthly");
        assertThat(datasets.getString("find { it.name == 'taxi_trips' }.partitioning.start")).isEqualTo("2023-01-01");
        assertThat(datasets.getMap("find { it.name == 'taxi_zones' }")).containsEntry("mode", "replace-table")
                .doesNotContainKey("partitioning");
    }

    @Test
    void partitionsShowTheirLatestOutcome() {
        JsonNode loaded = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-01-01"));
        log.awaitEvent(FAILED, log.request("taxi_trips", "2023-07-01"));

        JsonPath partitions = given().get("/datasets/taxi_trips/partitions").then().statusCode(200).extract()
                .jsonPath();

        long months = ChronoUnit.MONTHS.between(LocalDate.of(2023, 1, 1),
                LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1)) + 1;
        assertThat(partitions.getList("partition")).hasSize((int) months).startsWith("2023-01-01", "2023-02-01");
        Map<String, Object> january = partition(partitions, "2023-01-01");
        assertThat(january).containsEntry("status", "materialized").containsEntry("value", "2023-01")
                .containsEntry("rows", 1000);
        assertThat((String) january.get("lastLoadAt")).isNotBlank();
        assertThat(((Number) january.get("durationMs")).longValue()).isBetween(0L,
                loaded.path("durationMs").asLong() + 1000);
        assertThat(partition(partitions, "2023-07-01")).containsEntry("status", "failed");
        assertThat(partitions.getString("find { it.partition == '2023-07-01' }.failure.code"))
                .isEqualTo("SOURCE_SCHEMA_MISMATCH");
        assertThat(partition(partitions, "2023-11-01")).containsEntry("status", "never").doesNotContainKey("rows");
    }

    @Test
    void postingOnePartitionPublishesARequestThatIsMaterialized() {
        var requests = companion.consumeStrings().withGroupId("api-test-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(EventLog.REQUESTS);
        try {
            JsonPath accepted = operator().post("/datasets/taxi_trips/partitions/2023-02").then().statusCode(202)
                    .body("dataset", equalTo("taxi_trips")).body("requests[0].partition", equalTo("2023-02-01"))
                    .extract().jsonPath();
            String requestId = accepted.getString("requests[0].requestId");

            assertThat(log.awaitEvent(MATERIALIZED, requestId).path("rowsInserted").asLong()).isEqualTo(1500);
            var record = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> requests.getRecords()
                    .stream().filter(r -> r.value().contains(requestId)).findFirst(), Optional::isPresent).get();
            assertThat(record.key()).isEqualTo("taxi_trips/2023-02-01");
            JsonNode body = EventLog.json(record);
            assertThat(body.path("dataset").asText()).isEqualTo("taxi_trips");
            assertThat(body.path("partition").asText()).isEqualTo("2023-02-01");
            assertThat(body.path("requestedAt").asText()).isNotBlank();
        } finally {
            requests.close();
        }
    }

    @Test
    void postingARangePublishesOneRequestPerPartition() {
        JsonPath accepted = operator().contentType(ContentType.JSON).body("{\"from\":\"2023-01\",\"to\":\"2023-03\"}")
                .post("/datasets/taxi_trips/requests").then().statusCode(202).extract().jsonPath();

        assertThat(accepted.getList("requests.partition")).containsExactly("2023-01-01", "2023-02-01", "2023-03-01");
        List<String> ids = accepted.getList("requests.requestId");
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids.stream().map(id -> log.awaitEvent(MATERIALIZED, id).path("rowsInserted").asLong()))
                .containsExactly(1000L, 1500L, 2000L);
    }

    @Test
    void postingAnUnpartitionedDatasetRequestsTheWholeTable() {
        String requestId = operator().contentType(ContentType.JSON).body("{}").post("/datasets/taxi_zones/requests")
                .then().statusCode(202).body("requests", org.hamcrest.Matchers.hasSize(1)).extract().jsonPath()
                .getString("requests[0].requestId");

        assertThat(log.awaitEvent(MATERIALIZED, requestId).path("rowsInserted").asLong())
                .isEqualTo(DuckloadTestResource.ZONES);
        given().get("/datasets/taxi_zones/partitions").then().statusCode(200)
                .body("[0].status", equalTo("materialized")).body("[0].rows", equalTo(DuckloadTestResource.ZONES));
    }

    @Test
    void badRequestsAreRejectedWithTheirReason() {
        given().get("/datasets/no_such_dataset/partitions").then().statusCode(404)
                .body("code", equalTo("UNKNOWN_DATASET"));
        operator().post("/datasets/no_such_dataset/partitions/2023-01").then().statusCode(404);
        operator().contentType(ContentType.JSON).body("{\"from\":\"2023-01\"}").post("/datasets/nope/requests").then()
                .statusCode(404);
        operator().post("/datasets/taxi_trips/partitions/2023-13").then().statusCode(400)
                .body("code", equalTo("INVALID_PARTITION")).body("message", containsString("2023-13"));
        operator().post("/datasets/taxi_trips/partitions/2022-12").then().statusCode(400)
                .body("code", equalTo("PARTITION_OUT_OF_RANGE"));
        operator().post("/datasets/taxi_zones/partitions/2023-01").then().statusCode(400)
                .body("code", equalTo("PARTITION_NOT_APPLICABLE"));
        operator().contentType(ContentType.JSON).body("{\"from\":\"2023-03\",\"to\":\"2023-01\"}")
                .post("/datasets/taxi_trips/requests").then().statusCode(400)
                .body("message", containsString("before"));
        operator().contentType(ContentType.JSON).body("{}").post("/datasets/taxi_trips/requests").then()
                .statusCode(400).body("code", equalTo("PARTITION_REQUIRED"));
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.keySet()", hasItem("/datasets/{name}/partitions"))
                .body("paths.keySet()", hasItem("/datasets/{name}/requests"));
    }

    /** Writes need the operator role: every POST here presents an operator's token. */
    private static RequestSpecification operator() {
        return given().auth().oauth2(Credentials.token("api-test", Credentials.OPERATOR_ROLE));
    }

    private static Map<String, Object> partition(JsonPath partitions, String key) {
        return partitions.getMap("find { it.partition == '" + key + "' }");
    }
}
