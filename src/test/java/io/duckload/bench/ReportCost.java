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
import io.duckload.outbox.Report;

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
            // Variants interleaved load by load, so that drift (other work on the machine, the outbox growing)
            // hits each alike.
            String[] names = { "Kafka row only", "+ Dagster row", "+ 5 rows (Dagster, OpenLineage START/COMPLETE to "
                    + "HTTP and Kafka)", "+ 5 rows + schema query" };
            List<List<Double>> millis = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>());
            for (int i = 0; i < loads; i++) {
                millis.get(0).add(load(connection, outbox, i, 0, false));
                millis.get(1).add(load(connection, outbox, i, 1, false));
                millis.get(2).add(load(connection, outbox, i, 5, false));
                millis.get(3).add(load(connection, outbox, i, 5, true));
            }
            System.out.printf("%d tiny loads per variant, commit time in ms (median / p90):%n", loads);
            for (int v = 0; v < names.length; v++) {
                Stats stats = Stats.of(millis.get(v));
                System.out.printf("  %-75s %6.2f / %6.2f%n", names[v], stats.median(), stats.percentile(90));
            }
        }
    }

    private static double load(Connection connection, OutboxTable outbox, int i, int reports, boolean lineage)
            throws SQLException {
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
        outbox.enqueue(connection, load, load, row());
        if (lineage) {
            try (PreparedStatement schema = connection.prepareStatement("SELECT column_name, data_type FROM "
                    + "information_schema.columns WHERE table_schema = 'main' AND table_name = ?")) {
                schema.setString(1, "tiny");
                schema.executeQuery().close();
            }
        }
        List<Report> rows = new ArrayList<>();
        for (int r = 0; r < reports; r++) {
            rows.add(Report.toTopic("bench", row()));
        }
        outbox.enqueue(connection, load, load, rows);
        connection.commit();
        return (System.nanoTime() - start) / 1e6;
    }

    private static OutboxEvent row() {
        return new OutboxEvent(UUID.randomUUID().toString(), "t", "k", "type", "s", PAYLOAD, Instant.now());
    }
}
