package io.duckload.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.duckload.outbox.OutboxEvent;
import io.duckload.outbox.OutboxTable;

/**
 * What the integrations add to a load's transaction on the writer: a tiny partition replaced with its Kafka outbox
 * row, against the same with a Dagster row, the OpenLineage schema query and START/COMPLETE rows for two lineage
 * destinations (the most the service stores per load). Real DuckDB file, real {@link OutboxTable}. Run with
 * {@code java -cp ... io.duckload.bench.ReportCost [loads]}.
 */
public final class ReportCost {

    private static final String PAYLOAD = "{\"x\":\"" + "p".repeat(1000) + "\"}";

    private ReportCost() {
    }

    public static void main(String[] args) throws Exception {
        int loads = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        Path dir = Files.createTempDirectory("report-cost");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("cost.duckdb"))) {
            OutboxTable outbox = new OutboxTable();
            connection.setAutoCommit(false);
            outbox.create(connection);
            connection.createStatement().execute("CREATE TABLE tiny (id integer, v double, day varchar)");
            connection.commit();
            for (int round = 0; round < 2; round++) {
                Stats plain = Stats.of(run(connection, outbox, loads, 0));
                Stats reported = Stats.of(run(connection, outbox, loads, 5));
                System.out.printf("round %d, %d loads each: Kafka row only median %.2f ms p90 %.2f ms; "
                        + "+ Dagster + OpenLineage (5 rows, schema query) median %.2f ms p90 %.2f ms%n", round + 1,
                        loads, plain.median(), plain.percentile(90), reported.median(), reported.percentile(90));
            }
        }
    }

    private static List<Double> run(Connection connection, OutboxTable outbox, int loads, int reports)
            throws SQLException {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < loads; i++) {
            long start = System.nanoTime();
            String day = "d" + (i % 50);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM tiny WHERE day = ?");
                    PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO tiny SELECT range, range * 1.5, ? FROM range(10)")) {
                delete.setString(1, day);
                delete.executeUpdate();
                insert.setString(1, day);
                insert.executeUpdate();
            }
            String load = UUID.randomUUID().toString();
            outbox.enqueue(connection, load, load, row(), OutboxTable.KAFKA);
            if (reports > 0) {
                try (PreparedStatement schema = connection.prepareStatement("SELECT column_name, data_type FROM "
                        + "information_schema.columns WHERE table_schema = 'main' AND table_name = ?")) {
                    schema.setString(1, "tiny");
                    schema.executeQuery().close();
                }
                for (int r = 0; r < reports; r++) {
                    outbox.enqueue(connection, load, load, row(), "bench");
                }
            }
            connection.commit();
            millis.add((System.nanoTime() - start) / 1e6);
        }
        return millis;
    }

    private static OutboxEvent row() {
        return new OutboxEvent(UUID.randomUUID().toString(), "t", "k", "type", "s", PAYLOAD, Instant.now());
    }
}
