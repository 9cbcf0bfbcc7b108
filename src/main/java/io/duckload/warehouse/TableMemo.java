package io.duckload.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the loads of one transaction learned about their partitioned tables: that a table exists, and its column
 * fingerprint. Inside one transaction only duckload changes the file and its loads never change a partitioned
 * table's columns, so a group commit asks once per table instead of once per load. Valid for that transaction only.
 */
public final class TableMemo {

    private final Set<String> present = new HashSet<>();
    private final Map<String, String> fingerprints = new HashMap<>();

    /** Creates {@code table} with {@code columns} unless this transaction made sure of it already. */
    void ensure(Connection connection, String table, String columns) throws SQLException {
        if (present.add(table)) {
            PartitionLoader.execute(connection,
                    "CREATE TABLE IF NOT EXISTS " + Sql.quote(table) + " (" + columns + ")");
        }
    }

    /** The fingerprint of {@code table}'s columns, read once per transaction. */
    String fingerprint(Connection connection, String table) throws SQLException {
        String known = fingerprints.get(table);
        if (known == null) {
            known = TableEvolution.fingerprint(connection, table);
            fingerprints.put(table, known);
        }
        return known;
    }
}
