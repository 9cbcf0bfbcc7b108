package io.duckload.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.duckload.contracts.BackfillPosition;
import io.duckload.contracts.PartitionFailed;
import io.duckload.contracts.PartitionMaterialized;
import io.duckload.contracts.PartitionRequested;
import io.duckload.failure.ErrorCode;
import io.duckload.ingest.RequestParser;
import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.EventSchemas;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Pins the JSON of the three wire contracts as the service's own ObjectMapper (the one EventFactory gets injected)
 * writes them, and validates it against the published JSON Schemas with a real validator ({@link EventSchemas});
 * {@code WireEventSchemaTest} does the same for the events the running service puts on the broker.
 */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class EventContractTest {

    private static final String REQUESTED = EventSchemas.REQUESTED;
    private static final String MATERIALIZED = EventSchemas.MATERIALIZED;
    private static final String FAILED = EventSchemas.FAILED;
    private static final String SHA256 = "3f1d5e0c6a1b2e8f9d7c4b3a29180716f5e4d3c2b1a09f8e7d6c5b4a39281706";
    private static final OffsetDateTime AT = OffsetDateTime.parse("2024-04-02T06:00:41.512Z");

    @Inject
    ObjectMapper mapper;

    static Stream<Arguments> samples() {
        return Stream.of(
                argumentSet("request with every member", REQUESTED,
                        new PartitionRequested("req-1", "taxi_trips", "2023-03-01", AT), """
                                {"requestId":"req-1","dataset":"taxi_trips","partition":"2023-03-01",\
                                "requestedAt":"2024-04-02T06:00:41.512Z"}"""),
                argumentSet("request with the dataset only", REQUESTED,
                        new PartitionRequested(null, "taxi_zones", null, null), """
                                {"dataset":"taxi_zones"}"""),
                argumentSet("materialized partition", MATERIALIZED, new PartitionMaterialized("req-1", "taxi_trips",
                        "trips", "2023-03-01", "2023-03", new PartitionMaterialized.Window("2023-03-01", "2023-04-01"),
                        3403766, 0, "load-1", new PartitionMaterialized.SourceInfo(
                                "https://example.org/yellow_tripdata_2023-03.parquet", 56127762, SHA256),
                        "/srv/duckload.duckdb", AT, 41230), """
                                {"requestId":"req-1","dataset":"taxi_trips","table":"trips",\
                                "partition":"2023-03-01","partitionValue":"2023-03",\
                                "window":{"start":"2023-03-01","end":"2023-04-01"},\
                                "rowsInserted":3403766,"rowsDeleted":0,"loadId":"load-1",\
                                "source":{"uri":"https://example.org/yellow_tripdata_2023-03.parquet",\
                                "bytes":56127762,"sha256":"%s"},\
                                "database":"/srv/duckload.duckdb","materializedAt":"2024-04-02T06:00:41.512Z",\
                                "durationMs":41230}""".formatted(SHA256)),
                argumentSet("materialized partition with export and dbt", MATERIALIZED, new PartitionMaterialized(
                        "req-5", "taxi_trips", "trips", "2023-03-01", "2023-03",
                        new PartitionMaterialized.Window("2023-03-01", "2023-04-01"), 3403766, 0, "load-5",
                        new PartitionMaterialized.SourceInfo("/data/yellow_tripdata_2023-03.parquet", 56127762,
                                SHA256),
                        "/srv/duckload.duckdb", AT, 41230,
                        "/srv/export/trips/partition_date=2023-03/data.parquet",
                        new PartitionMaterialized.Dbt(new PartitionMaterialized.DbtVars("2023-03-01", "2023-04-01"),
                                "source:raw_taxis.trips+")), """
                                {"requestId":"req-5","dataset":"taxi_trips","table":"trips",\
                                "partition":"2023-03-01","partitionValue":"2023-03",\
                                "window":{"start":"2023-03-01","end":"2023-04-01"},\
                                "rowsInserted":3403766,"rowsDeleted":0,"loadId":"load-5",\
                                "source":{"uri":"/data/yellow_tripdata_2023-03.parquet",\
                                "bytes":56127762,"sha256":"%s"},\
                                "database":"/srv/duckload.duckdb","materializedAt":"2024-04-02T06:00:41.512Z",\
                                "durationMs":41230,\
                                "export":"/srv/export/trips/partition_date=2023-03/data.parquet",\
                                "dbt":{"vars":{"min_date":"2023-03-01","max_date":"2023-04-01"},\
                                "select":"source:raw_taxis.trips+"}}""".formatted(SHA256)),
                argumentSet("materialized partition with checks", MATERIALIZED, new PartitionMaterialized("req-7",
                        "taxi_trips", "trips", "2023-03-01", "2023-03",
                        new PartitionMaterialized.Window("2023-03-01", "2023-04-01"), 3403766, 3403700, "load-7",
                        new PartitionMaterialized.SourceInfo("/data/yellow_tripdata_2023-03.parquet", 56127762,
                                SHA256, null, "sha256:" + SHA256),
                        "/srv/duckload.duckdb", AT, 41230, null, null, null, List.of(
                                new PartitionMaterialized.CheckOutcome("pickup_in_month", "warn", false, 42),
                                new PartitionMaterialized.CheckOutcome("zone_ids_present", "error", true, 0))), """
                                {"requestId":"req-7","dataset":"taxi_trips","table":"trips",\
                                "partition":"2023-03-01","partitionValue":"2023-03",\
                                "window":{"start":"2023-03-01","end":"2023-04-01"},\
                                "rowsInserted":3403766,"rowsDeleted":3403700,"loadId":"load-7",\
                                "source":{"uri":"/data/yellow_tripdata_2023-03.parquet",\
                                "bytes":56127762,"sha256":"%1$s","schema":"sha256:%1$s"},\
                                "database":"/srv/duckload.duckdb","materializedAt":"2024-04-02T06:00:41.512Z",\
                                "durationMs":41230,"checks":[\
                                {"name":"pickup_in_month","severity":"warn","passed":false,"violations":42},\
                                {"name":"zone_ids_present","severity":"error","passed":true,"violations":0}]}\
                                """.formatted(SHA256)),
                argumentSet("materialized partition with table schema", MATERIALIZED, new PartitionMaterialized(
                        "req-8", "taxi_trips", "trips", "2023-03-01", "2023-03",
                        new PartitionMaterialized.Window("2023-03-01", "2023-04-01"), 10, 0, "load-8",
                        new PartitionMaterialized.SourceInfo("/data/yellow_tripdata_2023-03.parquet", 1012, SHA256,
                                null, "sha256:" + SHA256),
                        "/srv/duckload.duckdb", AT, 5, null, null, null, null, "sha256:" + SHA256), """
                                {"requestId":"req-8","dataset":"taxi_trips","table":"trips",\
                                "partition":"2023-03-01","partitionValue":"2023-03",\
                                "window":{"start":"2023-03-01","end":"2023-04-01"},\
                                "rowsInserted":10,"rowsDeleted":0,"loadId":"load-8",\
                                "source":{"uri":"/data/yellow_tripdata_2023-03.parquet",\
                                "bytes":1012,"sha256":"%1$s","schema":"sha256:%1$s"},\
                                "database":"/srv/duckload.duckdb","materializedAt":"2024-04-02T06:00:41.512Z",\
                                "durationMs":5,"tableSchema":"sha256:%1$s"}""".formatted(SHA256)),
                argumentSet("materialized unpartitioned dataset with dbt", MATERIALIZED, new PartitionMaterialized(
                        "req-6", "taxi_zones", "zones", null, null, null, 263, 263, "load-6",
                        new PartitionMaterialized.SourceInfo("/data/taxi_zones.csv", 1012, SHA256),
                        "/srv/duckload.duckdb", AT, 0, null,
                        new PartitionMaterialized.Dbt(null, "source:raw_taxis.zones+")), """
                                {"requestId":"req-6","dataset":"taxi_zones","table":"zones",\
                                "rowsInserted":263,"rowsDeleted":263,"loadId":"load-6",\
                                "source":{"uri":"/data/taxi_zones.csv","bytes":1012,"sha256":"%s"},\
                                "database":"/srv/duckload.duckdb","materializedAt":"2024-04-02T06:00:41.512Z",\
                                "durationMs":0,"dbt":{"select":"source:raw_taxis.zones+"}}""".formatted(SHA256)),
                argumentSet("materialized unpartitioned dataset", MATERIALIZED, new PartitionMaterialized("req-2",
                        "taxi_zones", "zones", null, null, null, 263, 263, "load-2",
                        new PartitionMaterialized.SourceInfo("/data/taxi_zones.csv", 1012, SHA256),
                        "/srv/duckload.duckdb", AT, 0), """
                                {"requestId":"req-2","dataset":"taxi_zones","table":"zones",\
                                "rowsInserted":263,"rowsDeleted":263,"loadId":"load-2",\
                                "source":{"uri":"/data/taxi_zones.csv","bytes":1012,"sha256":"%s"},\
                                "database":"/srv/duckload.duckdb","materializedAt":"2024-04-02T06:00:41.512Z",\
                                "durationMs":0}""".formatted(SHA256)),
                argumentSet("failed partition", FAILED, new PartitionFailed("req-3", "taxi_trips", "2030-01-01",
                        new PartitionFailed.Error("PARTITION_OUT_OF_RANGE", "partition 2030-01-01 lies in the future"),
                        1, AT), """
                                {"requestId":"req-3","dataset":"taxi_trips","partition":"2030-01-01",\
                                "error":{"code":"PARTITION_OUT_OF_RANGE",\
                                "message":"partition 2030-01-01 lies in the future"},\
                                "attempts":1,"failedAt":"2024-04-02T06:00:41.512Z"}"""),
                argumentSet("failed without partition", FAILED, new PartitionFailed("req-4", "nope", null,
                        new PartitionFailed.Error("UNKNOWN_DATASET", "unknown dataset \"nope\""), 4, AT), """
                                {"requestId":"req-4","dataset":"nope",\
                                "error":{"code":"UNKNOWN_DATASET","message":"unknown dataset \\"nope\\""},\
                                "attempts":4,"failedAt":"2024-04-02T06:00:41.512Z"}"""),
                argumentSet("failed partition of a backfill", FAILED, new PartitionFailed("bf/2023-02-01",
                        "taxi_trips", "2023-02-01", new PartitionFailed.Error("SOURCE_NOT_FOUND", "no file"), 1, AT,
                        new BackfillPosition("bf", 2, 12)), """
                                {"requestId":"bf/2023-02-01","dataset":"taxi_trips","partition":"2023-02-01",\
                                "error":{"code":"SOURCE_NOT_FOUND","message":"no file"},\
                                "attempts":1,"failedAt":"2024-04-02T06:00:41.512Z",\
                                "backfill":{"id":"bf","index":2,"total":12}}"""));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void eventSerializesToThePinnedJson(String schema, Object event, String json) throws JsonProcessingException {
        assertThat(mapper.writeValueAsString(event)).isEqualTo(json);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void serializedEventConformsToItsSchema(String schema, Object event, String json) throws JsonProcessingException {
        assertThat(EventSchemas.violations(schema, mapper.readTree(mapper.writeValueAsString(event)))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { REQUESTED, MATERIALIZED, FAILED })
    void schemaIsDraft202012WithItsOwnIdAndValidExamples(String file) throws JsonProcessingException {
        JsonNode schema = mapper.readTree(EventSchemas.text(file));
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$id").asText()).isEqualTo(EventSchemas.ID_BASE + file);
        assertThat(schema.path("examples")).isNotEmpty();
        schema.path("examples").forEach(example -> assertThat(EventSchemas.violations(file, example)).isEmpty());
    }

    /** Every object of an emitted event, at any depth, refuses a member its schema does not declare. */
    @ParameterizedTest
    @MethodSource("samples")
    void emittedEventsAllowNoUndeclaredMembers(String schema, Object event, String json)
            throws JsonProcessingException {
        if (schema.equals(REQUESTED)) {
            return; // requests come from other producers: the schema may let them carry more
        }
        JsonNode serialized = mapper.readTree(mapper.writeValueAsString(event));
        List<String> objects = new ArrayList<>();
        collectObjects(serialized, "", objects);
        assertThat(objects).isNotEmpty();
        for (String pointer : objects) {
            JsonNode widened = serialized.deepCopy();
            ((ObjectNode) widened.at(pointer)).put("undeclared", true);
            assertThat(EventSchemas.violations(schema, widened)).as("a member added at '%s'", pointer)
                    .anyMatch(v -> v.contains("undeclared"));
        }
    }

    @Test
    void errorCodeEnumListsEveryErrorCode() throws JsonProcessingException {
        List<String> declared = new ArrayList<>();
        mapper.readTree(EventSchemas.text(FAILED)).path("properties").path("error").path("properties").path("code")
                .path("enum").forEach(code -> declared.add(code.asText()));
        assertThat(declared).isEqualTo(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
    }

    @Test
    void theSchemaLooksIntoEachCheckResult() {
        ObjectNode event = mapper.valueToTree(new PartitionMaterialized("req", "d", "t", null, null, null, 1, 0, "l",
                new PartitionMaterialized.SourceInfo("/f", 1, SHA256), "/db", AT, 0, null, null, null,
                List.of(new PartitionMaterialized.CheckOutcome("c", "fatal", true, -1))));
        List<String> violations = EventSchemas.violations(MATERIALIZED, event);
        assertThat(violations).hasSize(2).anyMatch(v -> v.startsWith("/checks/0/severity: "))
                .anyMatch(v -> v.startsWith("/checks/0/violations: "));
    }

    @Test
    void serializedRequestParsesBackToTheSameRequest() throws JsonProcessingException {
        var request = new PartitionRequested("req-1", "taxi_trips", "2023-03", AT);
        assertThat(new RequestParser(mapper).parse(mapper.writeValueAsString(request), Map.of())).isEqualTo(request);
    }

    @Test
    void theSchemaReportsUndeclaredMissingAndWrongMembers() {
        ObjectNode event = mapper.valueToTree(new PartitionFailed("req", "d", null,
                new PartitionFailed.Error("NO_SUCH_CODE", "m"), 0, AT));
        event.put("extra", true);
        event.remove("failedAt");
        ((ObjectNode) event.get("error")).put("detail", "x");
        event.put("requestId", 7);
        List<String> violations = EventSchemas.violations(FAILED, event);
        assertThat(violations).anyMatch(v -> v.contains("required property 'failedAt'")).anyMatch(v -> v.startsWith("/error/code: "))
                .anyMatch(v -> v.contains("detail")).anyMatch(v -> v.startsWith("/attempts: "))
                .anyMatch(v -> v.contains("extra")).anyMatch(v -> v.startsWith("/requestId: "));
        ObjectNode badTime = mapper.valueToTree(new PartitionFailed("req", "d", null,
                new PartitionFailed.Error("UNKNOWN_DATASET", "m"), 1, AT));
        badTime.put("failedAt", "yesterday");
        assertThat(EventSchemas.violations(FAILED, badTime)).singleElement().asString().startsWith("/failedAt: ");
    }

    /** JSON pointers of every object in {@code node} (the root is {@code ""}). */
    private static void collectObjects(JsonNode node, String pointer, List<String> into) {
        if (node.isObject()) {
            into.add(pointer);
            node.properties().forEach(member -> collectObjects(member.getValue(),
                    pointer + "/" + member.getKey().replace("~", "~0").replace("/", "~1"), into));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectObjects(node.get(i), pointer + "/" + i, into);
            }
        }
    }
}
