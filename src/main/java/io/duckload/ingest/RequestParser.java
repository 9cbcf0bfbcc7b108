package io.duckload.ingest;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.duckload.contracts.PartitionRequested;

/**
 * Reads a {@link PartitionRequested} from a Kafka record: plain JSON, a binary-mode CloudEvent (attributes in
 * {@code ce_} headers, the request as data) or a structured-mode CloudEvent (the request in {@code data}).
 */
@ApplicationScoped
public class RequestParser {

    static final int MAX_FIELD_LENGTH = 256;
    /** A request is a few hundred bytes; anything near this is not one, and is not parsed. */
    static final int MAX_REQUEST_CHARS = 64 * 1024;

    private final ObjectMapper mapper;

    public RequestParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param payload the record's value
     * @param headers the record's headers that matter here (lower-case names), values decoded as UTF-8
     */
    public PartitionRequested parse(String payload, Map<String, String> headers) {
        if (payload == null) {
            // A tombstone: SmallRye hands it over with a null payload (checked on a real broker in HostileInputTest).
            throw new InvalidRequestException("empty message: no value (a tombstone), expected a PartitionRequested"
                    + " JSON object");
        }
        if (payload.isBlank()) {
            throw new InvalidRequestException("empty message: "
                    + (payload.isEmpty() ? "empty value" : "only whitespace")
                    + ", expected a PartitionRequested JSON object");
        }
        if (payload.length() > MAX_REQUEST_CHARS) {
            throw new InvalidRequestException("message of " + payload.length() + " characters is larger than the "
                    + MAX_REQUEST_CHARS + " a request may have");
        }
        JsonNode root;
        try {
            // Text after the object would otherwise be ignored: one record must hold exactly one request.
            root = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(payload);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("expected a JSON object, got " + describe(root));
        }
        String contentType = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
        String ceId = headers.get("ce_id");
        if (contentType.startsWith("application/cloudevents+json") || root.has("specversion")) {
            JsonNode data = root.get("data");
            if (data == null || !data.isObject()) {
                throw new InvalidRequestException("structured CloudEvent without a JSON object in 'data'");
            }
            ceId = root.hasNonNull("id") ? root.get("id").asText() : null;
            root = data;
        }
        if (root.has("source")) {
            // Sources come from the catalog only, so that no request can make duckload read an arbitrary location.
            throw new InvalidRequestException("field 'source' is not accepted: a dataset's source comes from the"
                    + " catalog configuration only");
        }
        String requestId = text(root, "requestId", false);
        String dataset = text(root, "dataset", true);
        String partition = text(root, "partition", false);
        String requestedAt = text(root, "requestedAt", false);
        OffsetDateTime at = null;
        if (requestedAt != null) {
            try {
                at = OffsetDateTime.parse(requestedAt);
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("field 'requestedAt' must be an ISO-8601 date-time with offset");
            }
        }
        PartitionRequested.Range range = range(root.get("partitions"));
        if (range != null && partition != null) {
            throw new InvalidRequestException("give either 'partition' or 'partitions', not both");
        }
        return new PartitionRequested(requestId != null && !requestId.isBlank() ? requestId : ceId, dataset,
                partition, at, range);
    }

    private static PartitionRequested.Range range(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidRequestException("field 'partitions' must be an object {from, to}, got " + describe(node));
        }
        return new PartitionRequested.Range(text(node, "from", true), text(node, "to", true));
    }

    private static String text(JsonNode root, String field, boolean required) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidRequestException("missing field '" + field + "'");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidRequestException("field '" + field + "' must be a string, got " + describe(node));
        }
        String value = node.asText();
        if (required && value.isBlank()) {
            throw new InvalidRequestException("field '" + field + "' must not be empty");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_FIELD_LENGTH) {
            throw new InvalidRequestException("field '" + field + "' is longer than " + MAX_FIELD_LENGTH + " bytes");
        }
        return value;
    }

    private static String describe(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
