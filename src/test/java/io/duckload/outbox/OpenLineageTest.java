package io.duckload.outbox;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.EventLog;
import io.duckload.testing.KafkaFlowTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;

/**
 * OpenLineage run events of loads on the real broker (and the same events at a recording HTTP endpoint): START and
 * COMPLETE sharing the load's runId, FAIL with an errorMessage facet, rowCount equal to rowsInserted, and the facts
 * of the spec's JSON Schema ({@code spec/OpenLineage.json}) the events rely on.
 */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenLineageResource.class, restrictToAnnotatedClass = true)
class OpenLineageTest extends KafkaFlowTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private ConsumerTask<String, String> lineage;

    @BeforeEach
    void consumeLineage() {
        lineage = companion.consumeStrings().withGroupId("test-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(OpenLineageResource.topic());
    }

    @AfterEach
    void stopConsuming() {
        lineage.close();
    }

    @Test
    void aCommittedLoadIsAStartAndACompleteSharingItsRunId() {
        JsonNode loaded = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-02-01"));
        String runId = loaded.path("loadId").asText();

        List<ConsumerRecord<String, String>> run = awaitRun(runId, 2);
        JsonNode start = json(run, "START");
        JsonNode complete = json(run, "COMPLETE");
        run.forEach(record -> assertThat(record.key()).isEqualTo(OpenLineageResource.NAMESPACE + "/taxi_trips"));
        for (JsonNode event : List.of(start, complete)) {
            assertFollowsTheSpec(event);
            assertThat(event.path("job").path("namespace").asText()).isEqualTo(OpenLineageResource.NAMESPACE);
            assertThat(event.path("job").path("name").asText()).isEqualTo("taxi_trips");
            assertThat(event.path("inputs").path(0).path("namespace").asText()).isEqualTo("file");
            assertThat(event.path("inputs").path(0).path("name").asText()).endsWith("/yellow_tripdata_2023-02.parquet");
            JsonNode output = event.path("outputs").path(0);
            assertThat(output.path("namespace").asText())
                    .isEqualTo("duckdb://" + DuckloadTestResource.database().toAbsolutePath());
            assertThat(output.path("name").asText()).isEqualTo("main.trips");
            assertThat(output.path("facets").path("partition").path("key").asText()).isEqualTo("2023-02-01");
            assertThat(output.path("facets").path("partition").path("value").asText()).isEqualTo("2023-02");
            assertThat(StreamSupport.stream(output.path("facets").path("schema").path("fields").spliterator(), false)
                    .map(f -> f.path("name").asText())).contains("pickup_zone_id", "partition_date");
            assertThat(output.path("outputFacets").path("outputStatistics").path("rowCount").asLong())
                    .isEqualTo(loaded.path("rowsInserted").asLong());
        }
        assertThat(loaded.path("rowsInserted").asLong()).isEqualTo(1500);
        assertThat(OffsetDateTime.parse(start.path("eventTime").asText()))
                .isBeforeOrEqualTo(OffsetDateTime.parse(complete.path("eventTime").asText()));
        assertThat(OffsetDateTime.parse(complete.path("eventTime").asText()).toInstant())
                .isEqualTo(OffsetDateTime.parse(loaded.path("materializedAt").asText()).toInstant());

        // The same two events reach the HTTP endpoint.
        Awaitility.await().atMost(PATIENCE).until(() -> OpenLineageResource.endpoint().requests(
                r -> r.path().equals(OpenLineageResource.PATH) && runId.equals(r.json().path("run").path("runId")
                        .asText())).size() == 2);
    }

    @Test
    void aFailedLoadIsAStartAndAFailWithItsErrorMessage() {
        String requestId = log.request("taxi_trips", "2023-05-01");
        JsonNode failed = log.awaitEvent(FAILED, requestId);
        String runId = UUID.nameUUIDFromBytes(("openlineage/failed/" + requestId).getBytes(
                java.nio.charset.StandardCharsets.UTF_8)).toString();

        List<ConsumerRecord<String, String>> run = awaitRun(runId, 2);
        JsonNode fail = json(run, "FAIL");
        assertFollowsTheSpec(json(run, "START"));
        assertFollowsTheSpec(fail);
        JsonNode error = fail.path("run").path("facets").path("errorMessage");
        assertThat(error.path("message").asText()).startsWith(failed.path("error").path("code").asText() + ": ");
        assertThat(error.path("programmingLanguage").asText()).isEqualTo("Java");
        assertThat(error.path("_schemaURL").asText()).contains("ErrorMessageRunFacet");
        assertThat(fail.path("outputs").path(0).path("facets").path("partition").path("key").asText())
                .isEqualTo("2023-05-01");
        assertThat(fail.has("inputs")).isFalse();
    }

    private List<ConsumerRecord<String, String>> awaitRun(String runId, int events) {
        return Awaitility.await().atMost(PATIENCE).until(() -> lineage.getRecords().stream()
                .filter(r -> runId.equals(EventLog.json(r).path("run").path("runId").asText())).toList(),
                found -> found.size() >= events);
    }

    private static JsonNode json(List<ConsumerRecord<String, String>> run, String eventType) {
        List<JsonNode> matching = run.stream().map(EventLog::json)
                .filter(e -> eventType.equals(e.path("eventType").asText())).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    /**
     * The facts of {@code spec/OpenLineage.json} these events rely on: RunEvent requires run, job, eventTime and
     * producer; eventType is one of the enum; runId is a UUID; job and datasets require namespace and name; every
     * facet carries _producer and _schemaURL (BaseFacet).
     */
    private static void assertFollowsTheSpec(JsonNode event) {
        assertThat(event.has("run") && event.has("job") && event.has("eventTime") && event.has("producer")).isTrue();
        assertThat(Set.of("START", "COMPLETE", "ABORT", "FAIL", "OTHER")).contains(event.path("eventType").asText());
        assertThat(UUID.fromString(event.path("run").path("runId").asText()).toString())
                .isEqualTo(event.path("run").path("runId").asText());
        assertThat(OffsetDateTime.parse(event.path("eventTime").asText())).isNotNull();
        assertThat(event.path("producer").asText()).isEqualTo("urn:duckload");
        assertThat(event.path("schemaURL").asText()).startsWith("https://openlineage.io/spec/");
        assertThat(event.path("job").path("namespace").isTextual() && event.path("job").path("name").isTextual())
                .isTrue();
        List<JsonNode> datasets = new java.util.ArrayList<>();
        event.path("inputs").forEach(datasets::add);
        event.path("outputs").forEach(datasets::add);
        assertThat(datasets).isNotEmpty();
        List<JsonNode> facets = new java.util.ArrayList<>();
        event.path("run").path("facets").forEach(facets::add);
        for (JsonNode dataset : datasets) {
            assertThat(dataset.path("namespace").isTextual() && dataset.path("name").isTextual()).isTrue();
            dataset.path("facets").forEach(facets::add);
            dataset.path("outputFacets").forEach(facets::add);
        }
        for (JsonNode facet : facets) {
            assertThat(facet.path("_producer").asText()).isNotBlank();
            assertThat(facet.path("_schemaURL").asText()).contains(":");
        }
    }
}
