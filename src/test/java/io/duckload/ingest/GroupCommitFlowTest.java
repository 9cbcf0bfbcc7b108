package io.duckload.ingest;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.duckload.testing.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaFlowTest;
import io.duckload.testing.LogCapture;
import io.duckload.warehouse.Writer;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Group commit on the real broker and file: four loads staged while the writer is held busy commit in one
 * transaction; a group holding a bad partition is rolled back and each load committed on its own, so the good
 * ones land and only the bad one fails. Months of 2025 are this test's own.
 */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class GroupCommitFlowTest extends KafkaFlowTest {

    @Inject
    Writer writer;
    @Inject
    GroupCommit groups;
    @Inject
    MeterRegistry registry;

    @Test
    void loadsStagedWhileTheWriterIsBusyCommitTogether() throws Exception {
        List<String> months = List.of("2025-01", "2025-02", "2025-03", "2025-04");
        writeSources(months, 100);
        double groupsBefore = groupSizes().count();
        double loadsBefore = groupSizes().totalAmount();

        List<String> ids = whileWriterHeld(months);

        for (int i = 0; i < months.size(); i++) {
            JsonNode event = log.awaitEvent(MATERIALIZED, ids.get(i));
            assertThat(event.path("partitionValue").asText()).isEqualTo(months.get(i));
            assertThat(event.path("rowsInserted").asLong()).isEqualTo(rowsOf(100, months.get(i)));
            assertThat(rows(months.get(i))).isEqualTo(rowsOf(100, months.get(i)));
        }
        assertThat(groupSizes().count() - groupsBefore).isEqualTo(1);
        assertThat(groupSizes().totalAmount() - loadsBefore).isEqualTo(4);
    }

    @Test
    void aBadPartitionInAGroupFailsAloneAndTheOthersLand() throws Exception {
        List<String> months = List.of("2025-05", "2025-06", "2025-07", "2025-08");
        writeSources(List.of("2025-05", "2025-06", "2025-08"), 200);
        Fixtures.tripsParquetMissingColumn(sources().resolve("yellow_tripdata_2025-07.parquet"));

        double groupsBefore = groupSizes().count();
        try (LogCapture groupLog = LogCapture.of(GroupCommit.class.getName())) {
            List<String> ids = whileWriterHeld(months);

            assertThat(log.awaitEvent(FAILED, ids.get(2)).path("error").path("code").asText())
                    .isEqualTo("SOURCE_SCHEMA_MISMATCH");
            for (int i : List.of(0, 1, 3)) {
                long expected = rowsOf(200, months.get(i));
                assertThat(log.awaitEvent(MATERIALIZED, ids.get(i)).path("rowsInserted").asLong())
                        .isEqualTo(expected);
                assertThat(rows(months.get(i))).isEqualTo(expected);
            }
            // The four were tried as one group, whose transaction failed on the file lacking total_amount and was
            // rolled back; then each was committed alone.
            assertThat(groupLog.messages()).filteredOn(message -> message.startsWith("A group commit of 4 loads"))
                    .singleElement().asString().contains("total_amount").endsWith("; committing each on its own");
        }
        // No group committed: the three good loads landed in transactions of their own, outside group commit.
        assertThat(groupSizes().count() - groupsBefore).isZero();
        assertThat(rows("2025-07")).isZero();
        assertThat(queryLong(DuckloadTestResource.database(),
                "SELECT count(*) FROM duckload_loads WHERE partition_value IN ('2025-05', '2025-06', '2025-07', "
                        + "'2025-08')")).isEqualTo(3);
    }

    /** Holds the writer in a unit of work until every request's load is staged and waiting, then lets it go. */
    private List<String> whileWriterHeld(List<String> months) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        CompletableFuture<Object> holding = writer.run(connection -> {
            held.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        try {
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
            String run = UUID.randomUUID().toString();
            List<String> ids = months.stream().map(month -> {
                String id = "group-" + run + "-" + month;
                log.send("taxi_trips/" + month + "-01",
                        "{\"requestId\":\"%s\",\"dataset\":\"taxi_trips\",\"partition\":\"%s-01\"}".formatted(id,
                                month));
                return id;
            }).toList();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> groups.waiting() == months.size());
            return ids;
        } finally {
            release.countDown();
            holding.get(30, TimeUnit.SECONDS);
        }
    }

    /** Each month gets its own row count, {@code base} plus its month number, so no two loads look alike. */
    private static void writeSources(List<String> months, long base) {
        for (String month : months) {
            Fixtures.tripsParquet(sources().resolve("yellow_tripdata_" + month + ".parquet"), month,
                    rowsOf(base, month));
        }
    }

    private static long rowsOf(long base, String month) {
        return base + Integer.parseInt(month.substring(5));
    }

    private static Path sources() {
        return DuckloadTestResource.directory().resolve("sources");
    }

    private static long rows(String month) {
        return queryLong(DuckloadTestResource.database(), "SELECT count(*) FROM trips WHERE partition_date = ?",
                month);
    }

    private DistributionSummary groupSizes() {
        return DistributionSummary.builder("duckload.commit.group.size").register(registry);
    }
}
