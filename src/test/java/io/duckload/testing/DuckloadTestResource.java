package io.duckload.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Starts a real Kafka broker, writes the source fixtures and points duckload at both and at a fresh DuckDB file.
 *
 * <p>Trip fixtures by month: 2023-01..03 valid (1000, 1500, 2000 rows), 2023-04 valid and empty, 2023-05 not
 * parquet, 2023-06 truncated parquet, 2023-07 lacking a column; 2023-08 has no file at all.
 * Dataset {@code gated_trips} reads the same trip files over HTTP from {@link #gate()}, which a test can hold.
 */
public class DuckloadTestResource implements QuarkusTestResourceLifecycleManager {

    public static final Map<String, Long> TRIP_ROWS = Map.of("2023-01", 1000L, "2023-02", 1500L, "2023-03", 2000L,
            "2023-04", 0L);
    public static final int ZONES = 263;
    /** The daily dataset {@code daily_tiny}: its first day and how many days it has. */
    public static final LocalDate DAILY_START = LocalDate.of(2021, 1, 1);
    public static final int DAILY_DAYS = 1000;

    /** The token in the query string of the http sources: it must show nowhere (events, API, page, logs). */
    public static final String SOURCE_TOKEN = "tok-" + UUID.randomUUID();
    /** An integer column value that is HTML: a failure quotes it, the status page must show it as text. */
    public static final String HTML_VALUE = "<img src=x onerror=document.title=document.domain><b>bold</b>";

    private static Path directory;
    private static KafkaBroker broker;
    private static GatedFileServer gate;
    private static HttpServer http;
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
            Fixtures.zonesCsv(sources.resolve("taxi_zones.csv"), ZONES);
            Files.writeString(sources.resolve("csv_2023-01.csv"), "id,amount\n1,2.5\n2,3.5\n");
            Files.writeString(sources.resolve("csv_2023-02.csv"), "id,total\n1,2.5\n");
            gate = new GatedFileServer(sources);
            // Parquet, not CSV: DuckDB pushes a cast into its CSV reader, whose error keeps the value off line one.
            Fixtures.htmlValueParquet(sources.resolve("html_value.parquet"), HTML_VALUE);
            http = FileServer.start(sources);
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
        monthly(config, "test_csv", "csv_amounts", "id integer, amount double, month varchar", "month",
                directory.resolve("sources") + "/csv_{YYYY-MM}.csv", "select id, amount, {partition_value} from {source}");
        // taxi_trips again, fetched over HTTP through a gate the test opens and closes.
        monthly(config, "gated_trips", "gated_trips", "vendor_id integer, total_amount double, partition_date varchar",
                "partition_date", gate.baseUrl() + "yellow_tripdata_{YYYY-MM}.parquet",
                "select VendorID, total_amount, {partition_value} from {source}");
        checkedDatasets(config);
        // Trips whose later files add airport_fee (as the TLC's did in 2023): SourceDriftFlowTest writes drift/.
        String drift = monthly(config, "drift_trips", "drift_trips",
                "vendor_id integer, total_amount double, airport_fee double, month varchar", "month", "2023-01-01");
        config.put(drift + "source", directory.resolve("drift") + "/trips_{YYYY-MM}.parquet");
        config.put(drift + "select", "select VendorID, total_amount, airport_fee, {partition_value} from {source}");
        config.put(drift + "optional-source-columns", "airport_fee");
        daily(config);
        config.put("duckload.retry.initial-backoff", "PT0.1S");
        config.put("duckload.retry.max-attempts", "3");
        config.putAll(Credentials.serviceConfig(directory));
        // Over http with a token in the query string: secret_zones loads, secret_missing answers 404.
        String zones = "duckload.datasets.secret_zones.";
        config.put(zones + "table", "secret_zones");
        config.put(zones + "mode", "replace-table");
        config.put(zones + "source", httpSource("taxi_zones.csv"));
        config.put(zones + "select", "select LocationID as zone_id, zone from {source}");
        String missing = "duckload.datasets.secret_missing.";
        config.put(missing + "table", "secret_missing");
        config.put(missing + "mode", "replace-table");
        config.put(missing + "source", httpSource("no_such_file.csv"));
        config.put(missing + "select", "select * from {source}");
        String html = "duckload.datasets.html_value.";
        config.put(html + "table", "html_value");
        config.put(html + "mode", "replace-table");
        config.put(html + "source", directory.resolve("sources/html_value.parquet").toString());
        // The cast fails, and DuckDB's message quotes the value.
        config.put(html + "select", "select id, cast(amount as integer) as amount from {source}");
        return config;
    }

    /** A monthly replace-partition dataset from 2023-01 on, partition values formatted yyyy-MM. */
    private static void monthly(Map<String, String> config, String dataset, String table, String columns,
            String column, String source, String select) {
        String key = monthly(config, dataset, table, columns, column, "2023-01-01");
        config.put(key + "source", source);
        config.put(key + "select", select);
    }

    private static String httpSource(String file) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/" + file + "?token=" + SOURCE_TOKEN;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(companion,
                new TestInjector.AnnotatedAndMatchesType(InjectKafkaCompanion.class, KafkaCompanion.class));
    }

    @Override
    public void stop() {
        if (gate != null) {
            gate.close();
        }
        if (companion != null) {
            companion.close();
        }
        if (http != null) {
            http.stop(0);
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

    /**
     * {@code daily_tiny}: {@link #DAILY_DAYS} daily partitions from {@link #DAILY_START}, read from small CSV files
     * the status page test writes into {@code daily/}; a value above 100 fails a warn check.
     */
    private static void daily(Map<String, String> config) {
        String key = "duckload.datasets.daily_tiny.";
        config.put(key + "table", "daily_tiny");
        config.put(key + "mode", "replace-partition");
        config.put(key + "columns", "id integer, v double, day varchar");
        config.put(key + "partitioning.granularity", "daily");
        config.put(key + "partitioning.start", DAILY_START.toString());
        config.put(key + "partitioning.end", DAILY_START.plusDays(DAILY_DAYS).toString());
        config.put(key + "partitioning.column", "day");
        config.put(key + "partitioning.value-format", "yyyy-MM-dd");
        config.put(key + "source", directory.resolve("daily") + "/tiny_{YYYY-MM-DD}.csv");
        config.put(key + "select", "select id, v, {partition_value} from {source}");
        config.put(key + "checks.small_values.sql", "select v from {rows} where v > 100");
        config.put(key + "checks.small_values.severity", "warn");
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

    /** The HTTP server {@code gated_trips} fetches from. */
    public static GatedFileServer gate() {
        return gate;
    }

    public static Path database() {
        return directory.resolve("duckload.duckdb");
    }
}
