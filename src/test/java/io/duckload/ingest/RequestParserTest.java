package io.duckload.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.duckload.contracts.PartitionRequested;

class RequestParserTest {

    private static final Map<String, String> BINARY_CE = Map.of("ce_id", "ce-1", "ce_specversion", "1.0",
            "ce_type", "io.duckload.PartitionRequested", "content-type", "application/json");

    private final RequestParser parser = new RequestParser(new ObjectMapper());

    @Test
    void plainJsonRequestIsRead() {
        var expected = new PartitionRequested("req-1", "taxi_trips", "2023-03-01",
                OffsetDateTime.parse("2024-04-02T08:00:00+02:00"));
        assertThat(parser.parse("""
                {"requestId": "req-1", "dataset": "taxi_trips", "partition": "2023-03-01",
                 "requestedAt": "2024-04-02T08:00:00+02:00", "comment": "ignored"}""", Map.of()))
                .isEqualTo(expected);
    }

    @Test
    void onlyTheDatasetIsRequired() {
        assertThat(parser.parse("{\"dataset\": \"taxi_zones\", \"partition\": null}", Map.of()))
                .isEqualTo(new PartitionRequested(null, "taxi_zones", null, null));
    }

    @Test
    void binaryCloudEventIdIsTheRequestIdWhenTheBodyHasNone() {
        assertThat(parser.parse("{\"dataset\": \"taxi_zones\"}", BINARY_CE).requestId()).isEqualTo("ce-1");
        assertThat(parser.parse("{\"dataset\": \"taxi_zones\", \"requestId\": \"req-1\"}", BINARY_CE).requestId())
                .isEqualTo("req-1");
    }

    @Test
    void blankRequestIdInTheBodyLeavesTheCloudEventIdInCharge() {
        assertThat(parser.parse("{\"dataset\": \"taxi_zones\", \"requestId\": \" \"}", BINARY_CE).requestId())
                .isEqualTo("ce-1");
    }

    @ParameterizedTest
    @ValueSource(strings = { "application/json", "application/cloudevents+json; charset=UTF-8" })
    void structuredCloudEventIsReadFromItsDataWithTheEnvelopeIdAsRequestId(String contentType) {
        String event = """
                {"specversion": "1.0", "id": "env-1", "source": "urn:dagster", "type": "io.duckload.PartitionRequested",
                 "datacontenttype": "application/json", "data": {"dataset": "taxi_trips", "partition": "2023-03"}}""";
        assertThat(parser.parse(event, Map.of("content-type", contentType)))
                .isEqualTo(new PartitionRequested("env-1", "taxi_trips", "2023-03", null));
    }

    @Test
    void structuredCloudEventWithoutObjectDataIsInvalid() {
        assertInvalid("{\"specversion\": \"1.0\", \"id\": \"e\", \"data\": \"taxi_zones\"}",
                "structured CloudEvent without a JSON object in 'data'");
    }

    @ParameterizedTest
    @CsvSource(value = { "NULL, no value (a tombstone)", "'', empty value", "'  \t ', only whitespace" },
            nullValues = "NULL")
    void emptyPayloadIsInvalid(String payload, String what) {
        assertInvalid(payload, "empty message: " + what + ", expected a PartitionRequested JSON object");
    }

    @ParameterizedTest
    @ValueSource(strings = { "dataset=taxi_zones", "{\"dataset\": \"taxi_zones\"", "{'dataset': 'taxi_zones'}",
            "{\"dataset\": \"taxi_zones\"} trailing", "{\"dataset\": \"a\"}{\"dataset\": \"b\"}" })
    void payloadThatIsNotJsonIsInvalid(String payload) {
        assertThatThrownBy(() -> parser.parse(payload, Map.of())).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("not JSON: ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "[{\"dataset\": \"taxi_zones\"}] | array", "\"taxi_zones\" | string",
            "42 | number", "null | null" })
    void jsonThatIsNotAnObjectIsInvalid(String payload, String type) {
        assertInvalid(payload, "expected a JSON object, got " + type);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "{\"dataset\": 42} | field 'dataset' must be a string, got number",
            "{\"dataset\": [\"a\"]} | field 'dataset' must be a string, got array",
            "{\"dataset\": \"d\", \"partition\": 202303} | field 'partition' must be a string, got number",
            "{\"dataset\": \"d\", \"requestId\": {}} | field 'requestId' must be a string, got object",
            "{\"dataset\": \"d\", \"requestedAt\": true} | field 'requestedAt' must be a string, got boolean" })
    void fieldOfTheWrongTypeIsInvalid(String payload, String reason) {
        assertInvalid(payload, reason);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"dataset\": null}", "{\"Dataset\": \"taxi_zones\"}" })
    void missingDatasetIsInvalid(String payload) {
        assertInvalid(payload, "missing field 'dataset'");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "\t\n" })
    void blankDatasetIsInvalid(String dataset) {
        assertInvalid("{\"dataset\": \"" + dataset.replace("\t", "\\t").replace("\n", "\\n") + "\"}",
                "field 'dataset' must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = { "yesterday", "2024-04-02", "2024-04-02T08:00:00", "2024-04-02 08:00:00Z" })
    void requestedAtThatIsNotADateTimeWithOffsetIsInvalid(String requestedAt) {
        assertInvalid("{\"dataset\": \"d\", \"requestedAt\": \"" + requestedAt + "\"}",
                "field 'requestedAt' must be an ISO-8601 date-time with offset");
    }

    @Test
    void fieldLongerThan256BytesIsInvalid() {
        assertInvalid("{\"dataset\": \"" + "x".repeat(257) + "\"}", "field 'dataset' is longer than 256 bytes");
        // 129 characters, 258 bytes in UTF-8
        assertInvalid("{\"dataset\": \"d\", \"partition\": \"" + "é".repeat(129) + "\"}",
                "field 'partition' is longer than 256 bytes");
        assertThat(parser.parse("{\"dataset\": \"" + "x".repeat(256) + "\"}", Map.of()).dataset()).hasSize(256);
    }

    private void assertInvalid(String payload, String reason) {
        assertThatThrownBy(() -> parser.parse(payload, Map.of())).isInstanceOf(InvalidRequestException.class)
                .hasMessage(reason);
    }
}
