package io.duckload.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaBroker;
import io.duckload.testing.ServiceProcess;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The main job, locally, with no Docker and no internet: a Kafka broker, the packaged service, generated sample
 * sources for taxi_zones and three months of taxi_trips; prints the events and the rows per partition.
 * Run it with {@code bin/demo}.
 */
public final class LocalDemo {

    private static final List<String> MONTHS = List.of("2023-01", "2023-02", "2023-03");
    private static final long ROWS_PER_MONTH = 250_000;

    private LocalDemo() {
    }

    public static void main(String[] args) throws Exception {
        Path work = ServiceProcess.buildDir().resolve("demo").toAbsolutePath();
        Path database = work.resolve("duckload.duckdb");
        Files.createDirectories(work);
        Files.deleteIfExists(database);
        Files.deleteIfExists(work.resolve("duckload.duckdb.wal"));
        System.out.println("Generating sample sources in " + work.resolve("sources"));
        for (String month : MONTHS) {
            Fixtures.tripsParquet(work.resolve("sources/yellow_tripdata_" + month + ".parquet"), month, ROWS_PER_MONTH);
        }
        Fixtures.zonesCsv(work.resolve("sources/taxi_zones.csv"), 263);

        System.out.println("Starting a Kafka broker");
        try (KafkaBroker broker = KafkaBroker.start();
                KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            Map<String, String> env = ServiceProcess.environment(broker.bootstrapServers(), database,
                    work.resolve("staging"));
            env.put("DUCKLOAD_DATASETS_TAXI_ZONES_SOURCE", work.resolve("sources/taxi_zones.csv").toString());
            env.put("DUCKLOAD_DATASETS_TAXI_TRIPS_SOURCE",
                    work.resolve("sources").toString() + "/yellow_tripdata_{YYYY-MM}.parquet");
            System.out.println("Starting duckload (log: " + work.resolve("duckload.log") + ")");
            try (ServiceProcess service = ServiceProcess.startWithLauncher(ServiceProcess.defaultJar(), env,
                    work.resolve("duckload.log"));
                    EventLog log = new EventLog(companion)) {
                print(log.awaitEvent(EventLog.MATERIALIZED, log.request("taxi_zones", null)));
                for (String month : MONTHS) {
                    print(log.awaitEvent(EventLog.MATERIALIZED, log.request("taxi_trips", month + "-01")));
                }
                service.stop();
            }
        }

        System.out.println("\nRows in " + database + " after the service stopped:");
        try (Connection connection = Fixtures.open(database);
                ResultSet rs = connection.createStatement().executeQuery("""
                        SELECT 'zones' AS table_name, NULL AS partition_date, count(*) AS rows FROM zones
                        UNION ALL
                        SELECT 'trips', partition_date, count(*) FROM trips GROUP BY partition_date
                        ORDER BY 1 DESC, 2""")) {
            System.out.printf("%-8s %-10s %10s%n", "table", "partition", "rows");
            while (rs.next()) {
                System.out.printf("%-8s %-10s %,10d%n", rs.getString(1),
                        rs.getString(2) == null ? "-" : rs.getString(2), rs.getLong(3));
            }
        }
    }

    private static void print(JsonNode event) {
        System.out.println("PartitionMaterialized " + event.toPrettyString());
    }
}
