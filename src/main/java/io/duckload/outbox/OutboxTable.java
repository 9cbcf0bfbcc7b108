package io.duckload.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.duckload.warehouse.RowAppender;
import io.duckload.warehouse.Sql;
import io.duckload.warehouse.Tables;

/**
 * The outbox table {@code duckload_outbox}: events are stored in the transaction of the load they announce and
 * marked sent once a broker acknowledged them. Every method runs on the writer's connection.
 */
@ApplicationScoped
public class OutboxTable implements Tables {

    /** Destination of the events sent to the broker; every other destination is delivered by {@link ReportRelay}. */
    public static final String KAFKA = "kafka";
    static final String COLUMNS = "event_id, topic, event_key, event_type, subject, payload, created_at";

    @Override
    public void create(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS duckload_outbox (
                        event_id varchar, load_id varchar, request_id varchar, topic varchar, event_key varchar,
                        event_type varchar, subject varchar, payload varchar, created_at timestamptz,
                        sent_at timestamptz)""");
            // Rows for HTTP integrations (Dagster) share the table and its transaction; files written before them
            // get the column with every existing row bound for Kafka.
            statement.execute("ALTER TABLE duckload_outbox ADD COLUMN IF NOT EXISTS destination varchar DEFAULT '"
                    + KAFKA + "'");
            // A report an integration refused for good (RefusedReports) is parked: not sent, not retried.
            statement.execute("ALTER TABLE duckload_outbox ADD COLUMN IF NOT EXISTS refused_at timestamptz");
            statement.execute("ALTER TABLE duckload_outbox ADD COLUMN IF NOT EXISTS refused_status integer");
            statement.execute("ALTER TABLE duckload_outbox ADD COLUMN IF NOT EXISTS refused_reply varchar");
        }
    }

    /** Stores {@code event}, the answer of {@code requestId} by load {@code loadId}, to be sent after the commit. */
    public void enqueue(Connection connection, String loadId, String requestId, OutboxEvent event)
            throws SQLException {
        enqueue(connection, loadId, requestId, List.of(Report.toTopic(KAFKA, event)));
    }

    /** Stores {@code reports}, the answer of {@code requestId} by load {@code loadId}, with one statement. */
    public void enqueue(Connection connection, String loadId, String requestId, List<Report> reports)
            throws SQLException {
        enqueue(connection, reports.stream().map(report -> new Row(loadId, requestId, report)).toList());
    }

    /**
     * An outbox row to store: {@code report} for {@code requestId}, by load {@code loadId} (null for the reports of
     * a failed load).
     */
    public record Row(String loadId, String requestId, Report report) {
    }

    /**
     * Stores {@code rows}, appended in the table's column order: a statement of bound values costs a group commit
     * milliseconds per chunk of rows, the appender a fraction of one. Part of the connection's transaction.
     */
    public void enqueue(Connection connection, List<Row> rows) throws SQLException {
        RowAppender.append(connection, "duckload_outbox", rows, row -> {
            OutboxEvent event = row.report().event();
            // Columns in table order: destination and the three refused_ columns were added later (ALTER TABLE);
            // sent_at and the refused_ columns are NULL (not sent, not refused). The topic column holds an HTTP
            // destination's path (Report.stored).
            return new Object[] {event.eventId(), row.loadId(), row.requestId(), row.report().topicColumn(),
                    event.key(), event.type(), event.subject(), event.payload(), event.createdAt(), null,
                    row.report().destination(), null, null, null};
        });
    }

    /** Events already stored for {@code requestId}: a redelivered request is answered from these. */
    public List<OutboxEvent> eventsOfRequest(Connection connection, String requestId) throws SQLException {
        return eventsOfRequests(connection, List.of(requestId)).getOrDefault(requestId, List.of());
    }

    /**
     * Events already stored for each of {@code requestIds} that has any, oldest first: one scan of the outbox for a
     * whole group of loads, the ids bound as one parameter ({@link Sql#prepareAnyOf}).
     */
    public Map<String, List<OutboxEvent>> eventsOfRequests(Connection connection, Collection<String> requestIds)
            throws SQLException {
        Map<String, List<OutboxEvent>> events = new HashMap<>();
        if (requestIds.isEmpty()) {
            return events;
        }
        try (PreparedStatement query = Sql.prepareAnyOf(connection, "SELECT request_id, " + COLUMNS
                + " FROM duckload_outbox WHERE destination = '" + KAFKA + "' AND request_id", requestIds,
                " ORDER BY created_at")) {
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    events.computeIfAbsent(rs.getString(1), id -> new ArrayList<>()).add(event(rs, 2));
                }
            }
        }
        return events;
    }

    /** Events no broker has acknowledged yet, oldest first. */
    public List<OutboxEvent> unsent(Connection connection) throws SQLException {
        return unsentRows(connection, KAFKA);
    }

    /** Rows for {@code destination} not delivered yet and not parked as refused, oldest first. */
    public List<Report> unsentTo(Connection connection, String destination) throws SQLException {
        return unsentRows(connection, destination).stream().map(row -> Report.stored(destination, row)).toList();
    }

    /** Marks {@code eventIds} sent, with one statement, the ids bound as one parameter ({@link Sql#prepareAnyOf}). */
    void markSent(Connection connection, List<String> eventIds) throws SQLException {
        if (eventIds.isEmpty()) {
            return;
        }
        try (PreparedStatement update = Sql.prepareAnyOf(connection,
                "UPDATE duckload_outbox SET sent_at = now() WHERE sent_at IS NULL AND event_id", eventIds, "")) {
            update.executeUpdate();
        }
    }

    /**
     * Deletes events acknowledged more than {@code retention} ago; events not acknowledged yet stay whatever their
     * age. Returns how many rows it deleted.
     */
    long prune(Connection connection, Duration retention) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM duckload_outbox"
                + " WHERE sent_at IS NOT NULL AND sent_at < now() - to_seconds(CAST(? AS BIGINT))")) {
            delete.setLong(1, retention.toSeconds());
            return delete.executeLargeUpdate();
        }
    }

    /** The rows for {@code destination} not sent and not parked, oldest first, as stored. */
    private static List<OutboxEvent> unsentRows(Connection connection, String destination) throws SQLException {
        List<OutboxEvent> events = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM duckload_outbox"
                + " WHERE sent_at IS NULL AND refused_at IS NULL AND destination = ? ORDER BY created_at")) {
            query.setString(1, destination);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    events.add(event(rs, 1));
                }
            }
        }
        return events;
    }

    /** The event in the columns {@link #COLUMNS} of {@code rs}, starting at column {@code first}. */
    static OutboxEvent event(ResultSet rs, int first) throws SQLException {
        return new OutboxEvent(rs.getString(first), rs.getString(first + 1), rs.getString(first + 2),
                rs.getString(first + 3), rs.getString(first + 4), rs.getString(first + 5),
                rs.getTimestamp(first + 6).toInstant());
    }
}
