package io.duckload.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;

import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DuckDB file written before the outbox had destinations: its unsent events stay Kafka's after the upgrade, and
 * report rows never answer a redelivered request nor reach Kafka.
 */
class OutboxUpgradeTest {

    @Test
    void rowsOfAnOlderFileAreKafkaEventsAndReportsStayApart(@TempDir Path dir) throws Exception {
        OutboxTable outbox = new OutboxTable();
        // The driver itself: after @QuarkusTests in the same JVM, DriverManager may not see it.
        try (Connection connection = new DuckDBDriver().connect("jdbc:duckdb:" + dir.resolve("old.duckdb"),
                new java.util.Properties())) {
            connection.createStatement().execute("""
                    CREATE TABLE duckload_outbox (
                        event_id varchar, load_id varchar, request_id varchar, topic varchar, event_key varchar,
                        event_type varchar, subject varchar, payload varchar, created_at timestamptz,
                        sent_at timestamptz)""");
            connection.createStatement().execute("INSERT INTO duckload_outbox VALUES ('old-event', 'load-1', "
                    + "'request-1', 'partition-materialized', 'k', 't', 's', '{}', now(), NULL)");

            outbox.create(connection);
            outbox.enqueue(connection, "load-1", "request-1", new OutboxEvent("report-1",
                    "report_asset_materialization/taxi_trips", "k", "dagster", "s", "{}", Instant.now()),
                    ReportRelay.DAGSTER);

            assertThat(OutboxEvent.ids(outbox.unsent(connection))).isEqualTo(List.of("old-event"));
            assertThat(OutboxEvent.ids(outbox.eventsOfRequest(connection, "request-1")))
                    .isEqualTo(List.of("old-event"));
            assertThat(OutboxEvent.ids(outbox.unsentTo(connection, ReportRelay.DAGSTER)))
                    .isEqualTo(List.of("report-1"));
        }
    }
}
