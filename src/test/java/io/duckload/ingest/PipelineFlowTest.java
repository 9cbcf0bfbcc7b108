package io.duckload.ingest;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.duckload.testing.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.EventLog;
import io.duckload.testing.KafkaFlowTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Backfills, and requests for one partition that pile up while it loads. */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class PipelineFlowTest extends KafkaFlowTest {

    @Test
    void aBackfillIsExpandedInPartitionOrderAndEachPartitionAnswered() {
        log.send("taxi_trips/backfill",
                "{\"requestId\":\"bf-1\",\"dataset\":\"taxi_trips\",\"partitions\":{\"from\":\"2023-01\",\"to\":\"2023-03-01\"}}");

        int index = 1;
        for (String month : List.of("2023-01", "2023-02", "2023-03")) {
            JsonNode event = log.awaitEvent(MATERIALIZED, "bf-1/" + month + "-01");
            assertThat(event.path("partitionValue").asText()).isEqualTo(month);
            assertThat(event.path("rowsInserted").asLong()).isEqualTo(DuckloadTestResource.TRIP_ROWS.get(month));
            assertThat(event.path("backfill").path("id").asText()).isEqualTo("bf-1");
            assertThat(event.path("backfill").path("index").asInt()).isEqualTo(index++);
            assertThat(event.path("backfill").path("total").asInt()).isEqualTo(3);
        }
    }

    @Test
    void aBackfillThatCannotBeDoneIsAnsweredWithOneFailure() {
        log.send("taxi_trips/backfill",
                "{\"requestId\":\"bf-2\",\"dataset\":\"taxi_trips\",\"partitions\":{\"from\":\"2023-03\",\"to\":\"2023-01\"}}");
        log.send("taxi_zones/backfill",
                "{\"requestId\":\"bf-3\",\"dataset\":\"taxi_zones\",\"partitions\":{\"from\":\"2023-01\",\"to\":\"2023-02\"}}");

        assertThat(log.awaitEvent(FAILED, "bf-2").path("error").path("code").asText()).isEqualTo("INVALID_PARTITION");
        assertThat(log.awaitEvent(FAILED, "bf-3").path("error").path("code").asText())
                .isEqualTo("PARTITION_NOT_APPLICABLE");
    }

    @Test
    void requestsWaitingForTheSamePartitionShareOneLoad() {
        String body = "{\"requestId\":\"%s\",\"dataset\":\"taxi_trips\",\"partition\":\"2023-10-01\"}";
        List<String> ids = List.of("same-1", "same-2", "same-3", "same-4");
        companion.produceStrings().fromRecords(ids.stream()
                .map(id -> new ProducerRecord<>(EventLog.REQUESTS, "taxi_trips/2023-10-01", body.formatted(id)))
                .toList()).awaitCompletion();

        List<JsonNode> answers = ids.stream().map(id -> log.awaitEvent(MATERIALIZED, id)).toList();
        Set<String> loads = answers.stream().map(e -> e.path("loadId").asText()).collect(Collectors.toSet());
        assertThat(loads).hasSizeBetween(1, 2);
        answers.forEach(e -> assertThat(e.path("rowsInserted").asLong())
                .isEqualTo(DuckloadTestResource.BIG_MONTH_ROWS));
        assertThat(queryLong(DuckloadTestResource.database(),
                "SELECT count(*) FROM trips WHERE partition_date = '2023-10'"))
                .isEqualTo(DuckloadTestResource.BIG_MONTH_ROWS);
        assertThat(queryLong(DuckloadTestResource.database(),
                "SELECT count(DISTINCT load_id) FROM duckload_outbox WHERE request_id LIKE 'same-%'"))
                .isEqualTo(loads.size());
    }
}
