package io.duckload.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.catalog.CatalogException;
import io.duckload.testing.Fixtures;

/**
 * Events acknowledged longer ago than the retention leave the outbox, so it does not grow with every load; events
 * not acknowledged yet stay whatever their age, and recent ones still answer redelivered requests. On a real DuckDB
 * file, with acknowledgement times set back as the days would.
 */
class OutboxRetentionTest {

    @Test
    void onlyEventsAcknowledgedBeforeTheRetentionAreDeleted(@TempDir Path dir) throws Exception {
        OutboxTable outbox = new OutboxTable();
        try (Connection connection = Fixtures.open(dir.resolve("outbox.duckdb"))) {
            outbox.create(connection);
            Instant created = Instant.now().minus(Duration.ofDays(30));
            outbox.enqueue(connection, List.of(row("old-sent", OutboxTable.KAFKA, created),
                    row("recent-sent", OutboxTable.KAFKA, created), row("old-unsent", OutboxTable.KAFKA, created),
                    row("old-report", ReportRelay.DAGSTER, created)));
            outbox.markSent(connection, List.of("old-sent", "recent-sent", "old-report"));
            ackedAgo(connection, "old-sent", Duration.ofDays(8));
            ackedAgo(connection, "old-report", Duration.ofDays(8));
            ackedAgo(connection, "recent-sent", Duration.ofDays(6));

            assertThat(outbox.prune(connection, Duration.ofDays(7))).isEqualTo(2);

            assertThat(outbox.eventsOfRequests(connection,
                    List.of("request-old-sent", "request-recent-sent", "request-old-unsent"))).containsOnlyKeys(
                            "request-recent-sent", "request-old-unsent");
            assertThat(OutboxEvent.ids(outbox.unsent(connection))).containsExactly("old-unsent");
            assertThat(outbox.unsentTo(connection, ReportRelay.DAGSTER)).isEmpty();
            // A second pass finds nothing more to delete.
            assertThat(outbox.prune(connection, Duration.ofDays(7))).isZero();
        }
        assertThat(Fixtures.queryLong(dir.resolve("outbox.duckdb"), "SELECT count(*) FROM duckload_outbox"))
                .isEqualTo(2);
    }

    @Test
    void pruningIsHourlyAtMostAndNeverWithAZeroRetention() {
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        Duration week = Duration.ofDays(7);
        assertThat(SentMarks.pruneDue(week, null, now)).isTrue();
        assertThat(SentMarks.pruneDue(week, now.minus(Duration.ofMinutes(59)), now)).isFalse();
        assertThat(SentMarks.pruneDue(week, now.minus(SentMarks.PRUNE_EVERY), now)).isTrue();
        assertThat(SentMarks.pruneDue(Duration.ZERO, null, now)).isFalse();
        assertThat(SentMarks.checked(week)).isEqualTo(week);
        assertThatThrownBy(() -> SentMarks.checked(Duration.ofDays(-1))).isInstanceOf(CatalogException.class)
                .hasMessageContaining("duckload.outbox.retention");
    }

    private static void ackedAgo(Connection connection, String eventId, Duration ago) throws Exception {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE duckload_outbox SET sent_at = now() - to_seconds(CAST(? AS BIGINT)) WHERE event_id = ?")) {
            update.setLong(1, ago.toSeconds());
            update.setString(2, eventId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private static OutboxTable.Row row(String name, String destination, Instant at) {
        OutboxEvent event = new OutboxEvent(name, null, "key-" + name, "t", "s", "{}", at);
        return new OutboxTable.Row("load-" + name, "request-" + name, OutboxTable.KAFKA.equals(destination)
                ? Report.toTopic(destination, event.withTopic("partition-materialized"))
                : Report.toPath(destination, "report_asset_materialization/k", event));
    }
}
