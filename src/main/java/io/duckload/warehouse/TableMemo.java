package io.duckload.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the loads of one transaction learned about their partitioned tables: that a table exists, its column
 * fingerprint, and the rows of their partitions deleted together beforehand; and the exports they wrote aside, which
 * the writer publishes just before the commit. Inside one transaction only duckload
 * changes the file and its loads never change a partitioned table's columns, so a group commit asks once per table
 * instead of once per load. Valid for that transaction only; what committed transactions learned before (while the
 * file stayed attached) comes from {@link KnownTables}.
 */
public final class TableMemo {

    private final KnownTables known;
    private final Set<String> present = new HashSet<>();
    private final Map<String, String> fingerprints = new HashMap<>();
    private final Map<String, Map<String, Long>> cleared = new HashMap<>();
    private final Map<String, Map<String, Long>> inserted = new HashMap<>();
    private final List<ParquetExport> aside = new ArrayList<>();

    /** A memo for a transaction on its own, which knows nothing beforehand and teaches nothing to the next one. */
    public TableMemo() {
        this(new KnownTables());
    }

    /** A memo for a transaction of the writer, starting from what earlier committed transactions learned. */
    TableMemo(KnownTables known) {
        this.known = known;
    }

    /** Creates {@code table} with {@code columns} unless this transaction, or a committed one, made sure of it. */
    void ensure(Connection connection, String table, String columns) throws SQLException {
        if (present.add(table) && !known.present(table)) {
            PartitionLoader.execute(connection,
                    "CREATE TABLE IF NOT EXISTS " + Sql.quote(table) + " (" + columns + ")");
            known.learnPresent(table);
        }
    }

    /** The fingerprint of {@code table}'s columns, read once while the file stays attached. */
    String fingerprint(Connection connection, String table) throws SQLException {
        String fingerprint = fingerprints.get(table);
        if (fingerprint == null) {
            fingerprint = known.fingerprint(table);
        }
        if (fingerprint == null) {
            fingerprint = TableEvolution.fingerprint(connection, table);
            known.learnFingerprint(table, fingerprint);
        }
        fingerprints.put(table, fingerprint);
        return fingerprint;
    }

    /** This transaction replaces {@code table} whole (its columns may change): no later one relies on what it knew. */
    void replaced(String table) {
        present.remove(table);
        fingerprints.remove(table);
        known.changed(table);
    }

    /**
     * Deletes the rows of the partitions {@code values} of {@code table} with one statement, for loads of one
     * transaction that replace them: each load then takes its partition's count with {@link #takeCleared} instead
     * of deleting on its own.
     */
    void clear(Connection connection, String table, String column, List<String> values) throws SQLException {
        Map<String, Long> counts = count(connection, table, column, values);
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + Sql.quote(table) + inPartitions(column, values))) {
            Sql.bind(delete, values);
            delete.executeLargeUpdate();
        }
        cleared.computeIfAbsent(table, t -> new HashMap<>()).putAll(counts);
    }

    /** The rows {@code table} holds in each of the partitions {@code values} (0 for an empty one). */
    static Map<String, Long> count(Connection connection, String table, String column, List<String> values)
            throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        values.forEach(value -> counts.put(value, 0L));
        try (PreparedStatement count = connection.prepareStatement("SELECT " + Sql.quote(column) + ", count(*) FROM "
                + Sql.quote(table) + inPartitions(column, values) + " GROUP BY ALL")) {
            Sql.bind(count, values);
            try (ResultSet rs = count.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /** The WHERE clause of the rows of partitions {@code values}, one {@code ?} per value. */
    private static String inPartitions(String column, List<String> values) {
        return " WHERE " + Sql.quote(column) + " IN (" + Sql.rows(values.size(), "?") + ")";
    }

    /** Rows a combined insert ({@link GroupInsert}) wrote into each partition of {@code table}. */
    void inserted(String table, Map<String, Long> counts) {
        inserted.computeIfAbsent(table, t -> new HashMap<>()).putAll(counts);
    }

    /** The rows a combined insert wrote into partition {@code value} of {@code table}; null if none did. */
    Long takeInserted(String table, String value) {
        Map<String, Long> counts = inserted.get(table);
        return counts == null ? null : counts.remove(value);
    }

    /** The rows partition {@code value} of {@code table} had when {@link #clear} deleted them; null if it did not. */
    Long takeCleared(String table, String value) {
        Map<String, Long> counts = cleared.get(table);
        return counts == null ? null : counts.remove(value);
    }

    /** An export written in this transaction, to publish just before its commit. */
    void wroteAside(ParquetExport export) {
        aside.add(export);
    }

    /**
     * Moves this transaction's exports into place. Call it just before the commit: a crash in between leaves a file
     * ahead of the table, which the redelivered request's new load overwrites; the reverse order could leave it
     * stale for good.
     */
    void publishAside() {
        while (!aside.isEmpty()) {
            aside.get(0).publish();
            aside.remove(0);
        }
    }

    /** Removes the temporary files of exports not published, when the transaction is rolled back. */
    void discardAside() {
        aside.forEach(ParquetExport::discard);
        aside.clear();
    }
}
