package io.duckload.ingest;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.duckload.testing.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.EventLog;
import io.duckload.testing.GatedFileServer;
import io.duckload.testing.KafkaFlowTest;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Backfills, and requests for one partition that pile up while it loads. */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class PipelineFlowTest extends KafkaFlowTest {

    @Inject
    RequestPipeline pipeline;

    @Test
    void aBackfillIsExpandedInPartitionOrderAndEachPartitionAnswered() {
        String backfill = EventLog.unique("bf");
        log.send("taxi_trips/backfill", "{\"requestId\":\"" + backfill + "\",\"dataset\":\"taxi_trips\",\"partitions\":{\"from\":\"2023-01\",\"to\":\"2023-03-01\"}}");

        int index = 1;
        for (String month : List.of("2023-01", "2023-02", "2023-03")) {
            JsonNode event = log.awaitEvent(MATERIALIZED, backfill + "/" + month + "-01");
            assertThat(event.path("partitionValue").asText()).isEqualTo(month);
            assertThat(event.path("rowsInserted").asLong()).isEqualTo(DuckloadTestResource.TRIP_ROWS.get(month));
            assertThat(event.path("backfill").path("id").asText()).isEqualTo(backfill);
            assertThat(event.path("backfill").path("index").asInt()).isEqualTo(index++);
            assertThat(event.path("backfill").path("total").asInt()).isEqualTo(3);
        }
    }

    @Test
    void aBackfillThatCannotBeDoneIsAnsweredWithOneFailure() {
        String reversed = EventLog.unique("bf-reversed");
        String unpartitioned = EventLog.unique("bf-unpartitioned");
        log.send("taxi_trips/backfill", "{\"requestId\":\"" + reversed + "\",\"dataset\":\"taxi_trips\",\"partitions\":{\"from\":\"2023-03\",\"to\":\"2023-01\"}}");
        log.send("taxi_zones/backfill", "{\"requestId\":\"" + unpartitioned + "\",\"dataset\":\"taxi_zones\",\"partitions\":{\"from\":\"2023-01\",\"to\":\"2023-02\"}}");

        assertThat(log.awaitEvent(FAILED, reversed).path("error").path("code").asText()).isEqualTo("INVALID_PARTITION");
        assertThat(log.awaitEvent(FAILED, unpartitioned).path("error").path("code").asText())
                .isEqualTo("PARTITION_NOT_APPLICABLE");
    }

    /**
     * The first request's download is held at the source server, so the other three surely arrive while its load
     * is under way; they are released only once all three wait in one group. Hence exactly two loads: the first
     * request's own, and one shared by the three that waited.
     */
    @Test
    void requestsWaitingForTheSamePartitionShareOneLoad() {
        String partition = "2023-02-01";
        String body = "{\"requestId\":\"%s\",\"dataset\":\"gated_trips\",\"partition\":\"" + partition + "\"}";
        String first = EventLog.unique("same");
        List<String> waiting = List.of(EventLog.unique("same"), EventLog.unique("same"), EventLog.unique("same"));
        GatedFileServer gate = DuckloadTestResource.gate();
        RequestPipeline requests = ClientProxy.unwrap(pipeline);
        int downloads = gate.arrived();
        gate.hold();
        try {
            log.send("gated_trips/" + partition, body.formatted(first));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(gate::arrived, n -> n == downloads + 1);
            companion.produceStrings().fromRecords(waiting.stream()
                    .map(id -> new ProducerRecord<>(EventLog.REQUESTS, "gated_trips/" + partition, body.formatted(id)))
                    .toList()).awaitCompletion();
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> requests.waiting("gated_trips", partition), n -> n == waiting.size());
        } finally {
            gate.release();
        }

        JsonNode own = log.awaitEvent(MATERIALIZED, first);
        List<JsonNode> shared = waiting.stream().map(id -> log.awaitEvent(MATERIALIZED, id)).toList();
        String sharedLoad = shared.get(0).path("loadId").asText();
        assertThat(shared).allSatisfy(e -> assertThat(e.path("loadId").asText()).isEqualTo(sharedLoad));
        assertThat(sharedLoad).isNotEqualTo(own.path("loadId").asText());
        assertThat(shared.get(0).path("rowsDeleted").asLong()).as("the shared load replaced the first one's rows")
                .isEqualTo(DuckloadTestResource.TRIP_ROWS.get("2023-02"));
        assertThat(gate.arrived()).as("downloads").isEqualTo(downloads + 2);
        assertThat(queryLong(DuckloadTestResource.database(),
                "SELECT count(*) FROM gated_trips WHERE partition_date = '2023-02'"))
                .isEqualTo(DuckloadTestResource.TRIP_ROWS.get("2023-02"));
        assertThat(queryLong(DuckloadTestResource.database(),
                "SELECT count(DISTINCT load_id) FROM duckload_outbox WHERE request_id IN (?, ?, ?, ?)",
                first, waiting.get(0), waiting.get(1), waiting.get(2))).isEqualTo(2);
    }

    /**
     * Workers are as many as the records in flight, but sources are fetched at most {@code fetch-parallelism} (4)
     * at once: with every download held at the source server, six requests for six partitions start four
     * downloads and the other two wait; released, all six are answered.
     */
    @Test
    void noMoreSourcesAreFetchedAtOnceThanTheFetchParallelism() {
        String body = "{\"requestId\":\"%s\",\"dataset\":\"gated_trips\",\"partition\":\"%s\"}";
        List<String> months = List.of("2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06");
        List<String> ids = months.stream().map(m -> EventLog.unique("gate-" + m)).toList();
        GatedFileServer gate = DuckloadTestResource.gate();
        int downloads = gate.arrived();
        gate.hold();
        try {
            for (int i = 0; i < months.size(); i++) {
                log.send("gated_trips/" + months.get(i), body.formatted(ids.get(i), months.get(i) + "-01"));
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(gate::arrived, n -> n >= downloads + 4);
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(gate::arrived, n -> n == downloads + 4);
        } finally {
            gate.release();
        }
        // No file for these months at the server: each is answered, with SOURCE_NOT_FOUND.
        for (String id : ids) {
            assertThat(log.awaitEvent(FAILED, id).path("error").path("code").asText()).isEqualTo("SOURCE_NOT_FOUND");
        }
        assertThat(gate.arrived()).as("downloads").isEqualTo(downloads + months.size());
    }
}
