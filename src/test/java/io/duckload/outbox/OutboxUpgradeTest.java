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
 * report rows never answer a redelivered request nor reach Kafka. A file written before reports had a path of their
 * own (the path in the topic column, as still stored) gives its pending reports back with their path.
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
            outbox.enqueue(connection, "load-1", "request-1", List.of(Report.toPath(ReportRelay.DAGSTER,
                    "report_asset_materialization/taxi_trips", new OutboxEvent("report-1", null, "k", "dagster", "s",
                            "{}", Instant.now()))));
            // Before reports had a path of their own: an OpenLineage row POSTed to the URL itself, topic ''.
            connection.createStatement().execute("INSERT INTO duckload_outbox (event_id, load_id, request_id, topic,"
                    + " event_key, event_type, subject, payload, created_at, destination) VALUES ('old-report',"
                    + " 'load-1', 'request-1', '', 'k', 't', 's', '{}', now(), 'openlineage')");

            List<OutboxEvent> unsent = outbox.unsent(connection);
            assertThat(OutboxEvent.ids(unsent)).isEqualTo(List.of("old-event"));
            assertThat(unsent.get(0).topic()).isEqualTo("partition-materialized");
            assertThat(OutboxEvent.ids(outbox.eventsOfRequest(connection, "request-1")))
                    .isEqualTo(List.of("old-event"));
            List<Report> dagster = outbox.unsentTo(connection, ReportRelay.DAGSTER);
            assertThat(Report.ids(dagster)).isEqualTo(List.of("report-1"));
            assertThat(dagster.get(0).path()).isEqualTo("report_asset_materialization/taxi_trips");
            assertThat(dagster.get(0).event().topic()).isNull();
            List<Report> lineage = outbox.unsentTo(connection, ReportRelay.OPENLINEAGE);
            assertThat(Report.ids(lineage)).isEqualTo(List.of("old-report"));
            assertThat(lineage.get(0).path()).isEmpty();
            assertThat(lineage.get(0).event().topic()).isNull();
        }
    }
}
