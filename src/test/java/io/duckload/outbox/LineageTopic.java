package io.duckload.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.EventLog;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** The OpenLineage topic of {@link OpenLineageResource} read from the start, and the events of one run. */
final class LineageTopic implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    private final ConsumerTask<String, String> records;

    LineageTopic(KafkaCompanion companion) {
        records = companion.consumeStrings().withGroupId("test-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(OpenLineageResource.topic());
    }

    /** Waits until the topic holds {@code events} events of run {@code runId} and returns them. */
    List<ConsumerRecord<String, String>> awaitRun(String runId, int events) {
        return Awaitility.await().atMost(PATIENCE).until(() -> records.getRecords().stream()
                .filter(r -> runId.equals(EventLog.json(r).path("run").path("runId").asText())).toList(),
                found -> found.size() >= events);
    }

    /** The one event of {@code eventType} among {@code run}. */
    static JsonNode event(List<ConsumerRecord<String, String>> run, String eventType) {
        List<JsonNode> matching = run.stream().map(EventLog::json)
                .filter(e -> eventType.equals(e.path("eventType").asText())).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    /** The runId of the START/FAIL of a request that failed: derived from the request id. */
    static String failedRunId(String requestId) {
        return UUID.nameUUIDFromBytes(("openlineage/failed/" + requestId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    @Override
    public void close() {
        records.close();
    }
}
