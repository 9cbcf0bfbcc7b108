package io.duckload.ingest;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.duckload.testing.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.EventLog;
import io.duckload.testing.KafkaFlowTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.impl.ce.KafkaCloudEventHelper;

/** The whole flow against a real broker and a real DuckDB file: request in, rows in the table, event out. */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class MaterializeFlowTest extends KafkaFlowTest {

    @Test
    void zonesAndThreeMonthsAreMaterializedWithTheirCounts() {
        String zones = log.request("taxi_zones", null);
        JsonNode zonesEvent = log.awaitEvent(MATERIALIZED, zones);
        assertThat(zonesEvent.path("table").asText()).isEqualTo("zones");
        assertThat(zonesEvent.path("rowsInserted").asLong()).isEqualTo(DuckloadTestResource.ZONES);
        assertThat(queryLong(DuckloadTestResource.database(), "SELECT count(*) FROM zones"))
                .isEqualTo(DuckloadTestResource.ZONES);
        assertThat(queryLong(DuckloadTestResource.database(),
                "SELECT count(*) FROM zones WHERE geometry LIKE 'MULTIPOLYGON%' AND zone_id = 7")).isEqualTo(1);

        Map<String, JsonNode> events = new HashMap<>();
        for (String month : new String[] { "2023-01", "2023-02", "2023-03" }) {
            String requestId = log.request("taxi_trips", month + "-01");
            JsonNode event = log.awaitEvent(MATERIALIZED, requestId);
            events.put(month, event);
            long expected = DuckloadTestResource.TRIP_ROWS.get(month);
            assertThat(event.path("dataset").asText()).isEqualTo("taxi_trips");
            assertThat(event.path("table").asText()).isEqualTo("trips");
            assertThat(event.path("partition").asText()).isEqualTo(month + "-01");
            assertThat(event.path("partitionValue").asText()).isEqualTo(month);
            assertThat(event.path("rowsInserted").asLong()).isEqualTo(expected);
            assertThat(event.path("source").path("sha256").asText()).hasSize(64);
            assertThat(event.path("source").path("bytes").asLong()).isPositive();
            assertThat(event.path("database").asText()).isEqualTo(DuckloadTestResource.database().toString());
            assertThat(queryLong(DuckloadTestResource.database(),
                    "SELECT count(*) FROM trips WHERE partition_date = ?", month)).isEqualTo(expected);
            assertThat(queryLong(DuckloadTestResource.database(),
                    "SELECT count(*) FROM duckload_loads WHERE load_id = ? AND rows_inserted = ?",
                    event.path("loadId").asText(), expected)).isEqualTo(1);
        }
        JsonNode march = events.get("2023-03");
        assertThat(march.path("window").path("start").asText()).isEqualTo("2023-03-01");
        assertThat(march.path("window").path("end").asText()).isEqualTo("2023-04-01");
    }

    /** The recommended key is {@code <dataset>/<partition>}, but a request is a request with no key at all. */
    @Test
    void aRequestWithoutAKeyIsLoaded() {
        String requestId = UUID.randomUUID().toString();
        log.send(new ProducerRecord<>(EventLog.REQUESTS, null,
                "{\"requestId\":\"%s\",\"dataset\":\"taxi_trips\",\"partition\":\"2023-02-01\"}"
                        .formatted(requestId)));

        JsonNode event = log.awaitEvent(MATERIALIZED, requestId);
        assertThat(event.path("rowsInserted").asLong()).isEqualTo(DuckloadTestResource.TRIP_ROWS.get("2023-02"));
        assertThat(queryLong(DuckloadTestResource.database(),
                "SELECT count(*) FROM duckload_loads WHERE load_id = ?", event.path("loadId").asText())).isEqualTo(1);
    }

    @Test
    void requestingAMonthAgainReplacesItWithANewLoad() {
        JsonNode first = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-02"));
        JsonNode second = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-02-01"));

        assertThat(second.path("partition").asText()).isEqualTo("2023-02-01");
        assertThat(second.path("loadId").asText()).isNotEqualTo(first.path("loadId").asText());
        assertThat(second.path("rowsInserted").asLong()).isEqualTo(1500);
        assertThat(second.path("rowsDeleted").asLong()).isEqualTo(1500);
        assertThat(queryLong(DuckloadTestResource.database(),
                "SELECT count(*) FROM trips WHERE partition_date = '2023-02'")).isEqualTo(1500);
    }

    @Test
    void anEventCarriesCloudEventsHeadersAndTheDatasetPartitionKey() {
        String requestId = log.request("taxi_trips", "2023-01-01");
        JsonNode event = log.awaitEvent(MATERIALIZED, requestId);
        var record = log.awaitAnswer(MATERIALIZED, requestId);

        assertThat(record.key()).isEqualTo("taxi_trips/2023-01-01");
        assertThat(EventLog.header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(EventLog.header(record, "ce_id")).isEqualTo(event.path("loadId").asText());
        assertThat(EventLog.header(record, "ce_type")).isEqualTo("io.duckload.PartitionMaterialized");
        assertThat(EventLog.header(record, "ce_source")).isEqualTo("urn:duckload");
        assertThat(EventLog.header(record, "ce_subject")).isEqualTo("taxi_trips/2023-01-01");
    }

    /**
     * The whole header set of an event, as a CloudEvents Kafka consumer reads it (binary mode: the data content type
     * in {@code content-type}, the other attributes in {@code ce_*}), and nothing besides.
     */
    @Test
    void anEventCarriesExactlyTheBinaryModeCloudEventsHeaders() {
        String requestId = log.request("taxi_trips", "2023-01-01");
        JsonNode event = log.awaitEvent(MATERIALIZED, requestId);
        var record = log.awaitAnswer(MATERIALIZED, requestId);

        assertThat(Arrays.stream(record.headers().toArray()).map(Header::key))
                .containsExactlyInAnyOrder("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_subject", "ce_time",
                        "content-type");
        assertThat(EventLog.header(record, "content-type")).isEqualTo("application/json");
        String time = EventLog.header(record, "ce_time");
        assertThat(time).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
        assertThat(OffsetDateTime.parse(time)).isBetween(
                OffsetDateTime.parse(event.path("materializedAt").asText()).minusMinutes(1),
                OffsetDateTime.now().plusSeconds(1));
        var cloudEvent = KafkaCloudEventHelper.createFromBinaryCloudEvent(record);
        assertThat(cloudEvent.getSpecVersion()).isEqualTo("1.0");
        assertThat(cloudEvent.getId()).isEqualTo(event.path("loadId").asText());
        assertThat(cloudEvent.getSource()).hasToString("urn:duckload");
        assertThat(cloudEvent.getDataContentType()).contains("application/json");
        assertThat(cloudEvent.getSubject()).contains("taxi_trips/2023-01-01");
        assertThat(cloudEvent.getTimeStamp().orElseThrow().toInstant())
                .isEqualTo(OffsetDateTime.parse(time).toInstant());
        assertThat(cloudEvent.getData()).isEqualTo(record.value());
    }

    @Test
    void aRedeliveredRequestIsAnsweredAgainWithoutLoadingAgain() {
        String requestId = log.request("taxi_trips", "2023-03-01");
        JsonNode first = log.awaitEvent(MATERIALIZED, requestId);
        log.send("taxi_trips/2023-03-01",
                "{\"requestId\":\"%s\",\"dataset\":\"taxi_trips\",\"partition\":\"2023-03-01\"}".formatted(requestId));
        var repeats = Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> log.answers(MATERIALIZED, requestId), list -> list.size() == 2);

        assertThat(EventLog.json(repeats.get(1)).path("loadId").asText()).isEqualTo(first.path("loadId").asText());
        assertThat(queryLong(DuckloadTestResource.database(),
                "SELECT count(*) FROM duckload_loads WHERE request_id = ?", requestId)).isEqualTo(1);
    }

    @Test
    void aRedeliveredRequestIsAnsweredByItsLoadEvenIfItsSourceIsGoneNow() throws Exception {
        Path sources = DuckloadTestResource.directory().resolve("sources");
        Path september = Files.copy(sources.resolve("yellow_tripdata_2023-01.parquet"),
                sources.resolve("yellow_tripdata_2023-09.parquet"));
        String requestId = log.request("taxi_trips", "2023-09-01");
        JsonNode first = log.awaitEvent(MATERIALIZED, requestId);
        Files.delete(september);

        log.send("taxi_trips/2023-09-01",
                "{\"requestId\":\"%s\",\"dataset\":\"taxi_trips\",\"partition\":\"2023-09-01\"}".formatted(requestId));
        var repeats = Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> log.answers(MATERIALIZED, requestId), list -> list.size() == 2);

        assertThat(EventLog.json(repeats.get(1)).path("loadId").asText()).isEqualTo(first.path("loadId").asText());
        assertThat(log.find(FAILED, requestId)).isEmpty();
    }

    @Test
    void cloudEventsInBinaryAndStructuredModeAreAccepted() {
        String binaryId = EventLog.unique("binary-ce");
        String structuredId = EventLog.unique("structured-ce");
        var binary = new ProducerRecord<String, String>(EventLog.REQUESTS, "taxi_trips/2023-01-01",
                "{\"dataset\":\"taxi_trips\",\"partition\":\"2023-01-01\"}");
        binary.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
                .add("ce_id", binaryId.getBytes(StandardCharsets.UTF_8))
                .add("ce_type", "io.duckload.PartitionRequested".getBytes(StandardCharsets.UTF_8))
                .add("ce_source", "urn:test".getBytes(StandardCharsets.UTF_8));
        log.send(binary);
        var structured = new ProducerRecord<String, String>(EventLog.REQUESTS, "taxi_trips/2023-01-01",
                "{\"specversion\":\"1.0\",\"id\":\"" + structuredId + "\",\"type\":\"io.duckload.PartitionRequested\","
                        + "\"source\":\"urn:test\",\"datacontenttype\":\"application/json\","
                        + "\"data\":{\"dataset\":\"taxi_trips\",\"partition\":\"2023-01\"}}");
        structured.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        log.send(structured);

        assertThat(log.awaitEvent(MATERIALIZED, binaryId).path("rowsInserted").asLong()).isEqualTo(1000);
        assertThat(log.awaitEvent(MATERIALIZED, structuredId).path("partition").asText())
                .isEqualTo("2023-01-01");
    }

    @Test
    void anEmptySourceIsAValidLoadThatEmptiesThePartition() {
        JsonNode event = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-04-01"));

        assertThat(event.path("rowsInserted").asLong()).isZero();
        assertThat(queryLong(DuckloadTestResource.database(),
                "SELECT count(*) FROM trips WHERE partition_date = '2023-04'")).isZero();
    }

    @Test
    void requestsThatCannotBeDoneEndInPartitionFailedAndConsumptionGoesOn() {
        log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-01-01"));
        long before = queryLong(DuckloadTestResource.database(), "SELECT count(*) FROM trips");

        assertFailure(log.request("no_such_dataset", "2023-01-01"), "UNKNOWN_DATASET");
        assertFailure(log.request("taxi_trips", "2022-12-01"), "PARTITION_OUT_OF_RANGE");
        assertFailure(log.request("taxi_trips", "2023-13-01"), "INVALID_PARTITION");
        assertFailure(log.request("taxi_trips", "2023-03-01'; drop table trips; --"), "INVALID_PARTITION");
        assertFailure(log.request("taxi_trips", "../../etc/passwd"), "INVALID_PARTITION");
        assertFailure(log.request("taxi_trips", "２０２３-０３-０１"), "INVALID_PARTITION");
        assertFailure(log.request("taxi_trips", null), "PARTITION_REQUIRED");
        assertFailure(log.request("taxi_trips", "2023-05-01"), "SOURCE_FORMAT_INVALID");
        assertFailure(log.request("taxi_trips", "2023-06-01"), "SOURCE_FORMAT_INVALID");
        assertFailure(log.request("taxi_trips", "2023-07-01"), "SOURCE_SCHEMA_MISMATCH");
        assertFailure(log.request("taxi_trips", "2023-08-01"), "SOURCE_NOT_FOUND");

        assertThat(queryLong(DuckloadTestResource.database(), "SELECT count(*) FROM trips")).isEqualTo(before);
        assertThat(log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-01-01")).path("rowsInserted")
                .asLong()).isEqualTo(1000);
    }

    @Test
    void aMessageThatIsNotARequestGoesToTheDeadLetterTopicWithItsReason() {
        String garbage = EventLog.unique("garbage");
        String wrongTypes = EventLog.unique("wrong-types");
        String missing = EventLog.unique("missing");
        log.send(garbage, "this is not json {");
        log.send(wrongTypes, "{\"dataset\": 42, \"partition\": \"2023-01-01\"}");
        log.send(missing, "{\"partition\": \"2023-01-01\"}");

        var notJson = log.awaitDeadLetter(garbage);
        assertThat(notJson.value()).isEqualTo("this is not json {");
        assertThat(EventLog.header(notJson, "dead-letter-reason")).startsWith("not JSON");
        assertThat(EventLog.header(log.awaitDeadLetter(wrongTypes), "dead-letter-reason"))
                .isEqualTo("field 'dataset' must be a string, got number");
        assertThat(EventLog.header(log.awaitDeadLetter(missing), "dead-letter-reason"))
                .isEqualTo("missing field 'dataset'");

        assertThat(log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-02-01")).path("rowsInserted")
                .asLong()).isEqualTo(1500);
    }

    private void assertFailure(String requestId, String code) {
        JsonNode failed = log.awaitEvent(FAILED, requestId);
        assertThat(failed.path("error").path("code").asText()).as(failed.toString()).isEqualTo(code);
        assertThat(failed.path("error").path("message").asText()).isNotBlank();
        assertThat(log.find(MATERIALIZED, requestId)).isEmpty();
    }
}
