package io.duckload.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.duckload.warehouse.Tables;

/**
 * The outbox table {@code duckload_outbox}: events are stored in the transaction of the load they announce and
 * marked sent once a broker acknowledged them. Every method runs on the writer's connection.
 */
@ApplicationScoped
public class OutboxTable implements Tables {

    /** Destination of the events sent to the broker; every other destination is delivered by {@link ReportRelay}. */
    public static final String KAFKA = "kafka";

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
        }
    }

    /** Stores {@code event}, the answer of {@code requestId} by load {@code loadId}, to be sent after the commit. */
    public void enqueue(Connection connection, String loadId, String requestId, OutboxEvent event)
            throws SQLException {
        enqueue(connection, loadId, requestId, event, KAFKA);
    }

    /**
     * Stores {@code event} for {@code destination}: for HTTP destinations {@code topic} holds the path below the
     * destination's base URL and {@code payload} the request body.
     */
    public void enqueue(Connection connection, String loadId, String requestId, OutboxEvent event,
            String destination) throws SQLException {
        enqueue(connection, loadId, requestId, List.of(new Report(destination, event)));
    }

    /** Stores {@code reports} with one statement: each statement costs a load milliseconds on the writer. */
    public void enqueue(Connection connection, String loadId, String requestId, List<Report> reports)
            throws SQLException {
        if (reports.isEmpty()) {
            return;
        }
        // Only the number of rows shapes the SQL text; every value is bound.
        String rows = String.join(", ", java.util.Collections.nCopies(reports.size(),
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)"));
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO duckload_outbox (event_id, load_id, request_id, topic, event_key, event_type, subject,
                    payload, created_at, sent_at, destination) VALUES """ + rows)) {
            int i = 0;
            for (Report report : reports) {
                OutboxEvent event = report.event();
                insert.setString(++i, event.eventId());
                insert.setString(++i, loadId);
                insert.setString(++i, requestId);
                insert.setString(++i, event.topic());
                insert.setString(++i, event.key());
                insert.setString(++i, event.type());
                insert.setString(++i, event.subject());
                insert.setString(++i, event.payload());
                insert.setTimestamp(++i, Timestamp.from(event.createdAt()));
                insert.setString(++i, report.destination());
            }
            insert.executeUpdate();
        }
    }

    /** Events already stored for {@code requestId}: a redelivered request is answered from these. */
    public List<OutboxEvent> eventsOfRequest(Connection connection, String requestId) throws SQLException {
        return select(connection, "WHERE request_id = ? AND destination = '" + KAFKA + "' ORDER BY created_at",
                requestId);
    }

    /** Events no broker has acknowledged yet, oldest first. */
    public List<OutboxEvent> unsent(Connection connection) throws SQLException {
        return unsentTo(connection, KAFKA);
    }

    /** Rows for {@code destination} not delivered yet, oldest first. */
    public List<OutboxEvent> unsentTo(Connection connection, String destination) throws SQLException {
        return select(connection, "WHERE sent_at IS NULL AND destination = ? ORDER BY created_at", destination);
    }

    void markSent(Connection connection, String eventId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE duckload_outbox SET sent_at = now() WHERE event_id = ? AND sent_at IS NULL")) {
            update.setString(1, eventId);
            update.executeUpdate();
        }
    }

    private static List<OutboxEvent> select(Connection connection, String where, String parameter)
            throws SQLException {
        List<OutboxEvent> events = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT event_id, topic, event_key, event_type, subject, payload, created_at FROM duckload_outbox "
                        + where)) {
            if (parameter != null) {
                query.setString(1, parameter);
            }
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    events.add(new OutboxEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
                }
            }
        }
        return events;
    }
}
