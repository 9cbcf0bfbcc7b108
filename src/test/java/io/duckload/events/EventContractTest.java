package io.duckload.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.duckload.failure.ErrorCode;
import io.duckload.ingest.RequestParser;

/** Pins the JSON of the three wire contracts and checks it against the published JSON Schemas. */
class EventContractTest {

    /** Configured like Quarkus' default ObjectMapper, which EventFactory gets injected. */
    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static final String REQUESTED = "partition-requested.schema.json";
    private static final String MATERIALIZED = "partition-materialized.schema.json";
    private static final String FAILED = "partition-failed.schema.json";
    private static final String SHA256 = "3f1d5e0c6a1b2e8f9d7c4b3a29180716f5e4d3c2b1a09f8e7d6c5b4a39281706";
    private static final OffsetDateTime AT = OffsetDateTime.parse("2024-04-02T06:00:41.512Z");

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
        assertThat(MAPPER.writeValueAsString(event)).isEqualTo(json);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void serializedEventConformsToItsSchema(String schema, Object event, String json) {
        assertThat(SchemaCheck.problems(schema(schema), MAPPER.valueToTree(event))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { REQUESTED, MATERIALIZED, FAILED })
    void schemaIsDraft202012WithItsOwnIdAndValidExamples(String file) {
        JsonNode schema = schema(file);
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$id").asText()).isEqualTo("https://duckload.io/schemas/" + file);
        assertThat(schema.path("examples")).isNotEmpty();
        schema.path("examples").forEach(example -> assertThat(SchemaCheck.problems(schema, example)).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = { MATERIALIZED, FAILED })
    void emittedEventsAllowNoUndeclaredMembers(String file) {
        assertThat(SchemaCheck.openObjects(schema(file), "$")).isEmpty();
    }

    @Test
    void errorCodeEnumListsEveryErrorCode() {
        List<String> declared = new ArrayList<>();
        schema(FAILED).path("properties").path("error").path("properties").path("code").path("enum")
                .forEach(code -> declared.add(code.asText()));
        assertThat(declared).isEqualTo(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
    }

    @Test
    void checkerLooksIntoEachCheckResult() {
        ObjectNode event = MAPPER.valueToTree(new PartitionMaterialized("req", "d", "t", null, null, null, 1, 0, "l",
                new PartitionMaterialized.SourceInfo("/f", 1, SHA256), "/db", AT, 0, null, null, null,
                List.of(new PartitionMaterialized.CheckOutcome("c", "fatal", true, -1))));
        assertThat(SchemaCheck.problems(schema(MATERIALIZED), event)).containsExactlyInAnyOrder(
                "$.checks[0].severity is not one of the enum", "$.checks[0].violations is below the minimum 0");
    }

    @Test
    void serializedRequestParsesBackToTheSameRequest() throws JsonProcessingException {
        var request = new PartitionRequested("req-1", "taxi_trips", "2023-03", AT);
        assertThat(new RequestParser(MAPPER).parse(MAPPER.writeValueAsString(request), Map.of())).isEqualTo(request);
    }

    @Test
    void checkerReportsUndeclaredMissingAndWrongMembers() {
        ObjectNode event = MAPPER.valueToTree(new PartitionFailed("req", "d", null,
                new PartitionFailed.Error("NO_SUCH_CODE", "m"), 0, AT));
        event.put("extra", true);
        event.remove("failedAt");
        ((ObjectNode) event.get("error")).put("detail", "x");
        assertThat(SchemaCheck.problems(schema(FAILED), event)).containsExactlyInAnyOrder(
                "$.failedAt is required but missing", "$.error.code is not one of the enum",
                "$.error.detail is not declared", "$.attempts is below the minimum 1", "$.extra is not declared");
    }

    private static JsonNode schema(String file) {
        try (InputStream in = EventContractTest.class.getResourceAsStream("/schemas/" + file)) {
            assertThat(in).as("schema %s on the classpath", file).isNotNull();
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The subset of JSON Schema the contracts use: type, required, properties (every member must be declared),
     * items, enum, pattern, minimum and the formats date and date-time.
     */
    static final class SchemaCheck {

        private SchemaCheck() {
        }

        static List<String> problems(JsonNode schema, JsonNode value) {
            List<String> problems = new ArrayList<>();
            check(schema, value, "$", problems);
            return problems;
        }

        /** Paths of object schemas that do not say {@code additionalProperties: false}. */
        static List<String> openObjects(JsonNode schema, String path) {
            List<String> open = new ArrayList<>();
            if ("object".equals(schema.path("type").asText())) {
                if (schema.path("additionalProperties").asBoolean(true)) {
                    open.add(path);
                }
                schema.path("properties").properties()
                        .forEach(p -> open.addAll(openObjects(p.getValue(), path + "." + p.getKey())));
            }
            if ("array".equals(schema.path("type").asText())) {
                open.addAll(openObjects(schema.path("items"), path + "[]"));
            }
            return open;
        }

        private static void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
            String type = schema.path("type").asText();
            if (!hasType(type, value)) {
                problems.add(path + " is not of type " + type);
                return;
            }
            if (schema.has("enum") && !contains(schema.get("enum"), value)) {
                problems.add(path + " is not one of the enum");
            }
            String pattern = schema.path("pattern").asText(null);
            if (pattern != null && !Pattern.compile(pattern).matcher(value.asText()).find()) {
                problems.add(path + " does not match " + pattern);
            }
            if (schema.has("minimum") && value.asLong() < schema.get("minimum").asLong()) {
                problems.add(path + " is below the minimum " + schema.get("minimum").asLong());
            }
            if (schema.has("format") && !hasFormat(schema.get("format").asText(), value.asText())) {
                problems.add(path + " is not a " + schema.get("format").asText());
            }
            schema.path("required").forEach(name -> {
                if (!value.has(name.asText())) {
                    problems.add(path + "." + name.asText() + " is required but missing");
                }
            });
            if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    check(schema.path("items"), value.get(i), path + "[" + i + "]", problems);
                }
            }
            if (value.isObject()) {
                value.properties().forEach(member -> {
                    JsonNode declared = schema.path("properties").get(member.getKey());
                    if (declared == null) {
                        problems.add(path + "." + member.getKey() + " is not declared");
                    } else {
                        check(declared, member.getValue(), path + "." + member.getKey(), problems);
                    }
                });
            }
        }

        private static boolean hasType(String type, JsonNode value) {
            return switch (type) {
                case "object" -> value.isObject();
                case "string" -> value.isTextual();
                case "integer" -> value.isIntegralNumber();
                case "boolean" -> value.isBoolean();
                case "array" -> value.isArray();
                default -> throw new IllegalArgumentException("type " + type + " is not supported by this check");
            };
        }

        private static boolean contains(JsonNode values, JsonNode value) {
            for (JsonNode candidate : values) {
                if (candidate.equals(value)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean hasFormat(String format, String text) {
            try {
                switch (format) {
                    case "date" -> LocalDate.parse(text);
                    case "date-time" -> OffsetDateTime.parse(text);
                    default -> throw new IllegalArgumentException("format " + format + " is not supported");
                }
                return true;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
    }
}
