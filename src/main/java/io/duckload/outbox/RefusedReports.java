package io.duckload.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The parked reports in {@code duckload_outbox}: rows an integration refused for good ({@code refused_at} set,
 * {@code sent_at} NULL). They are neither sent nor read at start until an operator re-sends them. Every method runs
 * on the writer's connection.
 */
@ApplicationScoped
public class RefusedReports {

    private static final String PARKED = "refused_at IS NOT NULL AND sent_at IS NULL";

    /** Parks {@code eventId}, refused with {@code status} and the start of the reply. */
    void park(Connection connection, String eventId, int status, String reply) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE duckload_outbox SET refused_at = now(),"
                + " refused_status = ?, refused_reply = ? WHERE event_id = ? AND sent_at IS NULL")) {
            update.setInt(1, status);
            update.setString(2, reply);
            update.setString(3, eventId);
            update.executeUpdate();
        }
    }

    /** The parked reports, oldest refusal first. */
    public List<RefusedReport> list(Connection connection) throws SQLException {
        List<RefusedReport> parked = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT event_id, destination, load_id,"
                + " event_type, subject, topic, refused_status, refused_reply, created_at, refused_at"
                + " FROM duckload_outbox WHERE " + PARKED + " ORDER BY refused_at, created_at")) {
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    parked.add(new RefusedReport(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8),
                            rs.getTimestamp(9).toInstant(), rs.getTimestamp(10).toInstant()));
                }
            }
        }
        return parked;
    }

    /**
     * Un-parks every parked report and returns them, oldest first, for the relay to deliver again: they are unsent
     * rows once more, so a stop before delivery leaves them to the next start.
     */
    List<Report> unpark(Connection connection) throws SQLException {
        List<Report> reports = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT destination, " + OutboxTable.COLUMNS
                + " FROM duckload_outbox WHERE " + PARKED + " ORDER BY created_at")) {
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    reports.add(Report.stored(rs.getString(1), OutboxTable.event(rs, 2)));
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE duckload_outbox SET refused_at = NULL,"
                + " refused_status = NULL, refused_reply = NULL WHERE " + PARKED)) {
            update.executeUpdate();
        }
        return reports;
    }
}
