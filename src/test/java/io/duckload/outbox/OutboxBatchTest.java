package io.duckload.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.testing.Fixtures;

/**
 * The outbox rows of a whole group commit go in with one append, and one look-up answers for all of the group's
 * requests (and one statement marks their events sent): on a real DuckDB file, with more rows than the 64 a
 * multi-row statement took before.
 */
class OutboxBatchTest {

    private static final int REQUESTS = 64 * 2 + 7;

    @Test
    void aGroupsRowsAreStoredAndFoundAcrossStatementChunks(@TempDir Path dir) throws Exception {
        OutboxTable outbox = new OutboxTable();
        try (Connection connection = Fixtures.open(dir.resolve("outbox.duckdb"))) {
            outbox.create(connection);
            Instant now = Instant.parse("2026-01-01T00:00:00Z");
            List<OutboxTable.Row> rows = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                rows.add(row(i, "event-" + i, OutboxTable.KAFKA, now));
            }
            // A second, later event for request 3, and a report row for request 5 that must never answer it.
            rows.add(row(3, "event-3-again", OutboxTable.KAFKA, now.plusSeconds(1)));
            rows.add(row(5, "report-5", ReportRelay.DAGSTER, now));
            outbox.enqueue(connection, rows);

            List<String> asked = new ArrayList<>(IntStream.range(0, REQUESTS).mapToObj(i -> "request-" + i).toList());
            asked.add("request-never-seen");
            Map<String, List<OutboxEvent>> found = outbox.eventsOfRequests(connection, asked);

            assertThat(found).hasSize(REQUESTS).doesNotContainKey("request-never-seen");
            assertThat(OutboxEvent.ids(found.get("request-0"))).containsExactly("event-0");
            assertThat(OutboxEvent.ids(found.get("request-3"))).containsExactly("event-3", "event-3-again");
            assertThat(OutboxEvent.ids(found.get("request-5"))).containsExactly("event-5");
            assertThat(OutboxEvent.ids(found.get("request-" + (REQUESTS - 1))))
                    .containsExactly("event-" + (REQUESTS - 1));
            assertThat(outbox.unsent(connection)).hasSize(REQUESTS + 1);
            assertThat(Report.ids(outbox.unsentTo(connection, ReportRelay.DAGSTER))).containsExactly("report-5");
            assertThat(found.get("request-7").get(0).payload()).isEqualTo("{\"n\":7}");
            // One id alone takes the direct comparison: the same answers.
            assertThat(OutboxEvent.ids(outbox.eventsOfRequest(connection, "request-3")))
                    .containsExactly("event-3", "event-3-again");
            assertThat(outbox.eventsOfRequest(connection, "request-5")).hasSize(1);
            assertThat(outbox.eventsOfRequest(connection, "request-never-seen")).isEmpty();

            // Marks for many ids at once, all but the last three requests' first events.
            List<String> sent = IntStream.range(0, REQUESTS - 3).mapToObj(i -> "event-" + i).toList();
            outbox.markSent(connection, sent);
            assertThat(OutboxEvent.ids(outbox.unsent(connection))).containsExactlyInAnyOrder("event-3-again",
                    "event-" + (REQUESTS - 3), "event-" + (REQUESTS - 2), "event-" + (REQUESTS - 1));
            // And for one id alone (the direct comparison).
            outbox.markSent(connection, List.of("event-3-again"));
            assertThat(OutboxEvent.ids(outbox.unsent(connection))).containsExactlyInAnyOrder(
                    "event-" + (REQUESTS - 3), "event-" + (REQUESTS - 2), "event-" + (REQUESTS - 1));
        }
    }

    private static OutboxTable.Row row(int request, String eventId, String destination, Instant at) {
        OutboxEvent event = new OutboxEvent(eventId, null, "key-" + request, "t", "s", "{\"n\":" + request + "}", at);
        return new OutboxTable.Row("load-" + request, "request-" + request, OutboxTable.KAFKA.equals(destination)
                ? Report.toTopic(destination, event.withTopic("partition-materialized"))
                : Report.toPath(destination, "report_asset_materialization/k", event));
    }
}
