package io.duckload.outbox;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.duckload.contracts.RunEvent;
import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.EventLog;
import io.duckload.testing.OpenLineageSpec;
import io.duckload.testing.RecordingHttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every OpenLineage event duckload emits, as it went over Kafka and HTTP, validated against the published JSON
 * Schemas with a real validator ({@link OpenLineageSpec}): START/COMPLETE and START/FAIL of partitioned and
 * unpartitioned loads, file and http sources, each facet against the schema its {@code _schemaURL} names (duckload's
 * own fetched from the running service without credentials); and an unfollowed redirect parks the events.
 */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenLineageResource.class, restrictToAnnotatedClass = true)
class OpenLineageSpecTest extends LineageFlowTest {

    private static final Path SERVED = Path.of("src/main/resources/META-INF/resources")
            .resolve(RunEvent.PartitionFacet.SCHEMA_PATH.substring(1));
    @Test
    void everyEventOverKafkaAndHttpFollowsThePublishedSchemas() {
        Map<String, Integer> runs = new LinkedHashMap<>();
        // Partitioned and unpartitioned, committed and failed, sources on file: URLs, plain paths and http.
        runs.put(log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-03-01")).path("loadId").asText(), 2);
        runs.put(log.awaitEvent(MATERIALIZED, log.request("taxi_zones", null)).path("loadId").asText(), 2);
        runs.put(log.awaitEvent(MATERIALIZED, log.request("secret_zones", null)).path("loadId").asText(), 2);
        String partitionedFailure = log.request("taxi_trips", "2023-07-01");
        log.awaitEvent(FAILED, partitionedFailure);
        runs.put(LineageTopic.failedRunId(partitionedFailure), 2);
        String unpartitionedFailure = log.request("secret_missing", null);
        log.awaitEvent(FAILED, unpartitionedFailure);
        runs.put(LineageTopic.failedRunId(unpartitionedFailure), 2);

        List<JsonNode> events = new ArrayList<>();
        runs.forEach((runId, count) -> lineage.awaitRun(runId, count).stream().map(EventLog::json)
                .forEach(events::add));
        assertThat(events.stream().map(e -> e.path("eventType").asText()))
                .containsOnly("START", "COMPLETE", "FAIL").contains("START", "COMPLETE", "FAIL");
        for (JsonNode event : events) {
            assertThat(spec.violations(event)).as("violations of %s", event).isEmpty();
        }
        assertThat(events).anySatisfy(e -> assertThat(e.path("outputs").path(0).path("facets")
                .has(RunEvent.PartitionFacet.KEY)).isTrue());
        assertThat(events).anySatisfy(e -> assertThat(e.path("inputs").path(0).path("namespace").asText())
                .startsWith("http://127.0.0.1:"));

        // The HTTP endpoint received the very same events.
        RecordingHttpServer endpoint = OpenLineageResource.endpoint();
        List<JsonNode> posted = Awaitility.await().atMost(LineageTopic.PATIENCE).until(() -> endpoint.requests(
                r -> r.path().equals(OpenLineageResource.PATH) && runs.containsKey(runId(r.json())))
                .stream().map(RecordingHttpServer.Recorded::json).toList(), found -> found.size() == events.size());
        assertThat(posted).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void theValidatorFindsWhatTheIssueFound() {
        JsonNode loaded = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-01-01"));
        JsonNode complete = LineageTopic.event(lineage.awaitRun(loaded.path("loadId").asText(), 2), "COMPLETE");
        assertThat(spec.violations(complete)).isEmpty();

        ObjectNode oldPointer = complete.deepCopy();
        oldPointer.put("schemaURL", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent");
        assertThat(spec.violations(oldPointer)).isNotEmpty();

        ObjectNode unprefixed = complete.deepCopy();
        ObjectNode facets = (ObjectNode) unprefixed.path("outputs").path(0).path("facets");
        facets.set("partition", facets.remove(RunEvent.PartitionFacet.KEY));
        assertThat(spec.violations(unprefixed)).anyMatch(v -> v.contains("prefix duckload_"));

        ObjectNode urn = complete.deepCopy();
        ((ObjectNode) urn.path("outputs").path(0).path("facets").path(RunEvent.PartitionFacet.KEY))
                .put("_schemaURL", "urn:duckload:facet:partition:1");
        assertThat(spec.violations(urn)).anyMatch(v -> v.contains("resolves to no schema document"));

        ObjectNode wrongValue = complete.deepCopy();
        ((ObjectNode) wrongValue.path("outputs").path(0).path("facets").path(RunEvent.PartitionFacet.KEY))
                .put("start", "March");
        ((ObjectNode) wrongValue.path("run")).put("runId", "load-1");
        assertThat(spec.violations(wrongValue)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void theCustomFacetSchemaIsServedWithoutCredentialsAtItsSchemaUrl() throws Exception {
        String url = OpenLineageResource.serviceUrl() + RunEvent.PartitionFacet.SCHEMA_PATH;
        String served = given().get(RunEvent.PartitionFacet.SCHEMA_PATH).then().statusCode(200)
                .contentType("application/json").extract().asString();
        assertThat(served).isEqualTo(Files.readString(SERVED));
        JsonNode document = spec.schemaDocument(url);
        assertThat(document.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(document.path("properties").has(RunEvent.PartitionFacet.KEY)).isTrue();
        assertThat(document.at("/$defs/DuckloadPartitionDatasetFacet").isObject()).isTrue();
    }

    @Test
    void anUnfollowedRedirectParksTheEventsOnlyForHttp() {
        RecordingHttpServer endpoint = OpenLineageResource.endpoint();
        endpoint.answer(r -> "test_csv".equals(r.json().path("job").path("name").asText()), 308,
                "moved to https://lineage.example/api/v1/lineage");
        String loadId = log.awaitEvent(MATERIALIZED, log.request("test_csv", "2023-01")).path("loadId").asText();

        // Over Kafka both events arrive; over HTTP each was posted once and is parked.
        assertThat(lineage.awaitRun(loadId, 2)).hasSize(2);
        List<JsonNode> parked = Awaitility.await().atMost(LineageTopic.PATIENCE).until(() -> StreamSupport.stream(
                EventLog.json(given().get("/reports/refused").then().statusCode(200).extract().asString())
                        .spliterator(), false).filter(r -> loadId.equals(r.path("loadId").asText())).toList(),
                found -> found.size() == 2);
        assertThat(parked).allSatisfy(report -> {
            assertThat(report.path("destination").asText()).isEqualTo(ReportRelay.OPENLINEAGE);
            assertThat(report.path("status").asInt()).isEqualTo(308);
            assertThat(report.path("reply").asText()).contains("moved to");
        });
        assertThat(parked.stream().map(r -> r.path("type").asText()))
                .containsExactlyInAnyOrder("openlineage.RunEvent.START", "openlineage.RunEvent.COMPLETE");
        assertThat(endpoint.requests(r -> loadId.equals(runId(r.json())))).hasSize(2);
    }

    private static String runId(JsonNode event) {
        return event.path("run").path("runId").asText();
    }
}
