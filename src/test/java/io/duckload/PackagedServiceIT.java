package io.duckload;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.duckload.testing.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaBroker;
import io.duckload.testing.ServiceProcess;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The packaged service as an operator runs it: {@code java -jar target/quarkus-app/quarkus-run.jar}, configured by
 * environment variables, against a real broker; the DuckDB file is checked after the service stopped.
 */
class PackagedServiceIT {

    private static final Path SHARED_TAXI_DATA = Path.of("..", "shared", "data", "nyc-taxi");
    private static final Map<String, Long> MONTHS = Map.of("2023-01", 1200L, "2023-02", 800L, "2023-03", 1000L);

    private static final Path LOGS = ServiceProcess.buildDir().resolve("it-logs");

    private static KafkaBroker broker;
    private static KafkaCompanion companion;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
        companion = new KafkaCompanion(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        companion.close();
        broker.close();
    }

    @Test
    void answersEachRequestAndLeavesExactlyThoseRowsInTheFile(@TempDir Path dir) {
        MONTHS.forEach((month, rows) -> Fixtures.tripsParquet(
                dir.resolve("sources/yellow_tripdata_" + month + ".parquet"), month, rows));
        Fixtures.zonesCsv(dir.resolve("sources/taxi_zones.csv"), 263);
        Path database = dir.resolve("data/duckload.duckdb");
        Map<String, String> env = environment(dir, database);
        env.put("DUCKLOAD_DATASETS_TAXI_TRIPS_SOURCE", dir.resolve("sources") + "/yellow_tripdata_{YYYY-MM}.parquet");
        env.put("DUCKLOAD_DATASETS_TAXI_ZONES_SOURCE", dir.resolve("sources/taxi_zones.csv").toUri().toString());

        String februaryLoad;
        try (ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env, LOGS.resolve("packaged.log"));
                EventLog log = new EventLog(companion)) {
            assertThat(log.awaitEvent(MATERIALIZED, log.request("taxi_zones", null)).path("rowsInserted").asLong())
                    .isEqualTo(263);
            Map<String, String> loadOf = new HashMap<>();
            for (var month : MONTHS.entrySet()) {
                JsonNode event = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", month.getKey() + "-01"));
                assertThat(event.path("rowsInserted").asLong()).isEqualTo(month.getValue());
                loadOf.put(month.getKey(), event.path("loadId").asText());
            }
            februaryLoad = loadOf.get("2023-02");

            JsonNode again = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-02"));
            assertThat(again.path("rowsInserted").asLong()).isEqualTo(800);
            assertThat(again.path("rowsDeleted").asLong()).isEqualTo(800);
            assertThat(again.path("loadId").asText()).isNotEqualTo(februaryLoad);

            assertThat(log.awaitEvent(FAILED, log.request("yellow_cabs", "2023-01-01")).path("error").path("code")
                    .asText()).isEqualTo("UNKNOWN_DATASET");
            assertThat(log.awaitEvent(FAILED, log.request("taxi_trips", "2022-12-01")).path("error").path("code")
                    .asText()).isEqualTo("PARTITION_OUT_OF_RANGE");
            String notJson = EventLog.unique("not-json");
            log.send(notJson, "<xml>nope</xml>");
            assertThat(EventLog.header(log.awaitDeadLetter(notJson), "dead-letter-reason")).startsWith("not JSON");
            assertThat(log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-03-01")).path("rowsInserted")
                    .asLong()).isEqualTo(1000);

            // 143: the JVM's exit status after a SIGTERM it handled with its shutdown hooks.
            assertThat(service.stop()).isIn(0, 143);
        }

        assertThat(queryLong(database, "SELECT count(*) FROM zones")).isEqualTo(263);
        for (var month : MONTHS.entrySet()) {
            assertThat(queryLong(database, "SELECT count(*) FROM trips WHERE partition_date = ?", month.getKey()))
                    .as(month.getKey()).isEqualTo(month.getValue());
        }
        assertThat(queryLong(database, "SELECT count(*) FROM trips")).isEqualTo(3000);
        assertThat(queryLong(database, "SELECT count(*) FROM duckload_outbox WHERE sent_at IS NULL")).isZero();
    }

    @Test
    void loadsTheRealTaxiSamplesThroughADatasetAddedByAConfigFile(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isDirectory(SHARED_TAXI_DATA), "no shared NYC taxi data at " + SHARED_TAXI_DATA);
        Path samples = SHARED_TAXI_DATA.toAbsolutePath().normalize();
        Path extra = Files.writeString(dir.resolve("extra.properties"), """
                duckload.datasets.sample_trips.table=sample_trips
                duckload.datasets.sample_trips.mode=replace-partition
                duckload.datasets.sample_trips.columns=vendor_id integer, pickup_zone_id integer, \\
                  dropoff_zone_id integer, rate_code_id double, payment_type integer, dropoff_datetime timestamp, \\
                  pickup_datetime timestamp, trip_distance double, passenger_count double, total_amount double, \\
                  partition_date varchar
                duckload.datasets.sample_trips.partitioning.granularity=monthly
                duckload.datasets.sample_trips.partitioning.start=2019-01-01
                duckload.datasets.sample_trips.partitioning.end=2019-07-01
                duckload.datasets.sample_trips.partitioning.column=partition_date
                duckload.datasets.sample_trips.partitioning.value-format=yyyy-MM
                duckload.datasets.sample_trips.source=%s/yellow_tripdata_sample_{YYYY-MM}.csv
                # DuckDB 2.0's CSV sniffer rejects the 2019-01 sample (mostly empty last column) in strict mode.
                duckload.datasets.sample_trips.reader-options=strict_mode = false
                duckload.datasets.sample_trips.select=select vendor_id, pickup_location_id, dropoff_location_id, \\
                  rate_code_id, payment_type, dropoff_datetime, pickup_datetime, trip_distance, passenger_count, \\
                  total_amount, {partition_value} from {source}
                """.formatted(samples));
        Path database = dir.resolve("duckload.duckdb");
        Map<String, String> env = environment(dir, database);
        env.put("QUARKUS_CONFIG_LOCATIONS", extra.toUri().toString());
        env.put("DUCKLOAD_DATASETS_TAXI_ZONES_SOURCE", samples.resolve("taxi_zones.csv").toString());

        try (ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env, LOGS.resolve("real-samples.log"));
                EventLog log = new EventLog(companion)) {
            assertThat(log.awaitEvent(MATERIALIZED, log.request("taxi_zones", null)).path("rowsInserted").asLong())
                    .isEqualTo(263);
            for (String month : List.of("2019-01", "2019-03", "2019-05")) {
                assertThat(log.awaitEvent(MATERIALIZED, log.request("sample_trips", month)).path("rowsInserted")
                        .asLong()).as(month).isEqualTo(10_000);
            }
            assertThat(log.awaitEvent(FAILED, log.request("sample_trips", "2019-07")).path("error").path("code")
                    .asText()).isEqualTo("PARTITION_OUT_OF_RANGE");
            assertThat(service.stop()).isIn(0, 143);
        }

        assertThat(queryLong(database, "SELECT count(*) FROM zones WHERE length(geometry) > 100000")).isPositive();
        assertThat(queryLong(database, "SELECT count(*) FROM sample_trips")).isEqualTo(30_000);
        // The published samples of March and May each hold one trip picked up outside the file's month.
        assertThat(queryLong(database, "SELECT count(*) FROM sample_trips "
                + "WHERE strftime(pickup_datetime, '%Y-%m') <> partition_date")).isEqualTo(2);
    }

    private static Map<String, String> environment(Path dir, Path database) {
        return ServiceProcess.environment(broker.bootstrapServers(), database, dir.resolve("staging"));
    }
}
