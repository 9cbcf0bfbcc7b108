package io.duckload.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Starts a real Kafka broker, writes the source fixtures and points duckload at both and at a fresh DuckDB file.
 *
 * <p>Trip fixtures by month: 2023-01..03 valid (1000, 1500, 2000 rows), 2023-04 valid and empty, 2023-05 not
 * parquet, 2023-06 truncated parquet, 2023-07 lacking a column; 2023-08 has no file at all; 2023-10 is big.
 */
public class DuckloadTestResource implements QuarkusTestResourceLifecycleManager {

    public static final Map<String, Long> TRIP_ROWS = Map.of("2023-01", 1000L, "2023-02", 1500L, "2023-03", 2000L,
            "2023-04", 0L);
    public static final int ZONES = 263;
    /** 2023-10 is big enough that requests arriving during its load wait for it. */
    public static final long BIG_MONTH_ROWS = 1_500_000;

    private static Path directory;
    private static KafkaBroker broker;
    private KafkaCompanion companion;

    @Override
    public Map<String, String> start() {
        try {
            directory = Files.createTempDirectory(Files.createDirectories(ServiceProcess.buildDir()), "duckload-test-").toAbsolutePath();
            Path sources = directory.resolve("sources");
            TRIP_ROWS.forEach((month, rows) -> Fixtures.tripsParquet(
                    sources.resolve("yellow_tripdata_" + month + ".parquet"), month, rows));
            Files.writeString(sources.resolve("yellow_tripdata_2023-05.parquet"), "VendorID,total_amount\n1,2.5\n");
            Path whole = Fixtures.tripsParquet(directory.resolve("whole.parquet"), "2023-06", 5000);
            byte[] bytes = Files.readAllBytes(whole);
            try (OutputStream out = Files.newOutputStream(sources.resolve("yellow_tripdata_2023-06.parquet"))) {
                out.write(Arrays.copyOf(bytes, bytes.length / 2));
            }
            Fixtures.tripsParquetMissingColumn(sources.resolve("yellow_tripdata_2023-07.parquet"));
            Fixtures.tripsParquet(sources.resolve("yellow_tripdata_2023-10.parquet"), "2023-10", BIG_MONTH_ROWS);
            Fixtures.zonesCsv(sources.resolve("taxi_zones.csv"), ZONES);
            Files.writeString(sources.resolve("csv_2023-01.csv"), "id,amount\n1,2.5\n2,3.5\n");
            Files.writeString(sources.resolve("csv_2023-02.csv"), "id,total\n1,2.5\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        broker = KafkaBroker.start();
        companion = new KafkaCompanion(broker.bootstrapServers());
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        config.put("duckload.database", database().toString());
        config.put("duckload.staging-dir", directory.resolve("staging").toString());
        config.put("duckload.datasets.taxi_trips.source",
                directory.resolve("sources").toUri() + "yellow_tripdata_{YYYY-MM}.parquet");
        config.put("duckload.datasets.taxi_zones.source", directory.resolve("sources/taxi_zones.csv").toString());
        // A CSV dataset: 2023-01 is valid, 2023-02 lacks the amount column.
        String csv = monthly(config, "test_csv", "csv_amounts", "id integer, amount double, month varchar", "month",
                "2023-01-01");
        config.put(csv + "source", directory.resolve("sources") + "/csv_{YYYY-MM}.csv");
        config.put(csv + "select", "select id, amount, {partition_value} from {source}");
        checkedDatasets(config);
        // Trips whose later files add airport_fee (as the TLC's did in 2023): SourceDriftFlowTest writes drift/.
        String drift = monthly(config, "drift_trips", "drift_trips",
                "vendor_id integer, total_amount double, airport_fee double, month varchar", "month", "2023-01-01");
        config.put(drift + "source", directory.resolve("drift") + "/trips_{YYYY-MM}.parquet");
        config.put(drift + "select", "select VendorID, total_amount, airport_fee, {partition_value} from {source}");
        config.put(drift + "optional-source-columns", "airport_fee");
        config.put("duckload.retry.initial-backoff", "PT0.1S");
        config.put("duckload.retry.max-attempts", "3");
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(companion,
                new TestInjector.AnnotatedAndMatchesType(InjectKafkaCompanion.class, KafkaCompanion.class));
    }

    @Override
    public void stop() {
        if (companion != null) {
            companion.close();
        }
        try {
            if (broker != null) {
                broker.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Two datasets shaped like taxi_trips with the checks application.properties seeds for taxi_trips: {@code
     * checked_trips} reads parquet that ChecksFlowTest writes into {@code checked/} (with a min-rows check on top),
     * {@code real_trips} reads the real TLC CSV samples that the test copies into {@code real/}.
     */
    private static void checkedDatasets(Map<String, String> config) {
        Properties seeds = new Properties();
        try (InputStream in = DuckloadTestResource.class.getResourceAsStream("/application.properties")) {
            seeds.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String trips = "duckload.datasets.taxi_trips.";
        for (String dataset : new String[] { "checked_trips", "real_trips" }) {
            String key = monthly(config, dataset, dataset, seeds.getProperty(trips + "columns"), "partition_date",
                    dataset.equals("real_trips") ? "2019-01-01" : "2023-01-01");
            seeds.stringPropertyNames().stream().filter(k -> k.startsWith(trips + "checks."))
                    .forEach(k -> config.put(key + k.substring(trips.length()), seeds.getProperty(k)));
        }
        String checked = "duckload.datasets.checked_trips.";
        config.put(checked + "source", directory.resolve("checked") + "/trips_{YYYY-MM}.parquet");
        config.put(checked + "select", seeds.getProperty(trips + "select"));
        config.put(checked + "checks.enough_rows.min-rows", "100");
        String real = "duckload.datasets.real_trips.";
        config.put(real + "source", directory.resolve("real") + "/yellow_tripdata_sample_{YYYY-MM}.csv");
        // DuckDB 2.0's CSV sniffer rejects the 2019-01 sample (mostly empty last column) in strict mode.
        config.put(real + "reader-options", "strict_mode = false");
        config.put(real + "select", "select vendor_id, pickup_location_id, dropoff_location_id, rate_code_id,"
                + " payment_type, dropoff_datetime, pickup_datetime, trip_distance, passenger_count, total_amount,"
                + " {partition_value} from {source}");
    }

    /** Puts a monthly replace-partition dataset's table and partitioning; returns its key prefix. */
    private static String monthly(Map<String, String> config, String dataset, String table, String columns,
            String column, String start) {
        String key = "duckload.datasets." + dataset + ".";
        config.put(key + "table", table);
        config.put(key + "mode", "replace-partition");
        config.put(key + "columns", columns);
        config.put(key + "partitioning.granularity", "monthly");
        config.put(key + "partitioning.start", start);
        config.put(key + "partitioning.column", column);
        config.put(key + "partitioning.value-format", "yyyy-MM");
        return key;
    }

    public static Path directory() {
        return directory;
    }

    public static Path database() {
        return directory.resolve("duckload.duckdb");
    }
}
