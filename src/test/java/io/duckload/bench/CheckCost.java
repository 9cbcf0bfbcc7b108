package io.duckload.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import io.duckload.catalog.Catalog;
import io.duckload.catalog.Dataset;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.Partition;
import io.duckload.catalog.SourceFormat;
import io.duckload.source.StagedSource;
import io.duckload.testing.Fixtures;
import io.duckload.warehouse.LoadJob;
import io.duckload.warehouse.PartitionWrite;
import io.duckload.warehouse.TableMemo;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * What checks add to a month's load on the writer: the same parquet month replaced, in the load's transaction, by
 * the service's own {@link PartitionWrite} for three copies of {@code taxi_trips} that differ only in their checks —
 * none; one {@code min-rows} and one {@code not-null} (the budget: at most 10%); the seeded checks of
 * {@code application.properties}. Variants are interleaved round by round on one DuckDB file, so drift on this
 * shared machine hits each alike; the first round warms up and is not counted. Run by {@code bin/benchmark}
 * ({@code -Dbench.rows}, {@code -Dbench.check-rounds}), or {@code java -cp ... io.duckload.bench.CheckCost [rows]
 * [rounds]}.
 */
public final class CheckCost {

    private static final String TRIPS = "duckload.datasets.taxi_trips.";
    private static final Map<String, String> VARIANTS = variants();

    private CheckCost() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : Long.getLong("bench.rows", 3_000_000);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : Integer.getInteger("bench.check-rounds", 5);
        Path dir = Files.createTempDirectory("check-cost");
        Path month = Fixtures.tripsParquet(dir.resolve("yellow_tripdata_2023-01.parquet"), "2023-01", rows);
        Catalog catalog = new Catalog(config(dir, month));
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        VARIANTS.keySet().forEach(name -> millis.put(name, new ArrayList<>()));
        for (int round = 0; round <= rounds; round++) {
            for (String name : VARIANTS.keySet()) {
                double took = load(dir.resolve("cost.duckdb"), catalog.find(name).orElseThrow(), month);
                if (round > 0) {
                    millis.get(name).add(took);
                }
            }
        }
        double baseline = Stats.of(millis.get("no_checks")).median();
        System.out.printf("%,d-row month replaced %d times per variant (after a warm-up), ms from the first statement"
                + " to the commit:%n", rows, rounds);
        for (var entry : millis.entrySet()) {
            Stats stats = Stats.of(entry.getValue());
            int checks = catalog.find(entry.getKey()).orElseThrow().checks().size();
            double ratio = stats.median() / baseline;
            String flag = entry.getKey().equals("min_rows_not_null") && ratio > 1.10 ? "  MISSED (target <= 1.10)" : "";
            System.out.printf("  %-18s %d checks  median %6.0f  p90 %6.0f  ratio %5.2fx%s%n", entry.getKey(), checks,
                    stats.median(), stats.percentile(90), ratio, flag);
        }
    }

    /** One load of {@code dataset}'s partition 2023-01 in a transaction of its own; the milliseconds it took. */
    private static double load(Path database, Dataset dataset, Path month) throws SQLException {
        Partition partition = dataset.partitioning().orElseThrow().parse("2023-01-01", LocalDate.now());
        StagedSource source = new StagedSource(month.toUri().toString(), month, month.toFile().length(), "bench",
                null, SourceFormat.PARQUET, false);
        LoadJob job = new LoadJob(UUID.randomUUID().toString(), "bench", dataset, Optional.of(partition), source,
                Instant.now());
        try (Connection connection = Fixtures.open(database)) {
            connection.setAutoCommit(false);
            long start = System.nanoTime();
            PartitionWrite.apply(connection, job, Optional.empty(), new TableMemo());
            connection.commit();
            return (System.nanoTime() - start) / 1e6;
        }
    }

    /** The check keys of each variant, below {@code duckload.datasets.<variant>.}; "seeded" copies taxi_trips'. */
    private static Map<String, String> variants() {
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("no_checks", "");
        variants.put("min_rows_not_null", "checks.enough_rows.min-rows=1000\nchecks.zone_ids_present.not-null="
                + "pickup_zone_id,dropoff_zone_id");
        variants.put("seeded_checks", "seeded");
        return variants;
    }

    /** The service's configuration with three copies of taxi_trips reading {@code month}, as SmallRye maps it. */
    private static DuckloadConfig config(Path dir, Path month) throws IOException {
        Properties seeds = new Properties();
        try (InputStream in = CheckCost.class.getResourceAsStream("/application.properties")) {
            seeds.load(in);
        }
        Map<String, String> properties = new HashMap<>();
        properties.put("duckload.database", dir.resolve("cost.duckdb").toString());
        properties.put("duckload.staging-dir", dir.resolve("staging").toString());
        for (var variant : VARIANTS.entrySet()) {
            String prefix = "duckload.datasets." + variant.getKey() + ".";
            for (String key : seeds.stringPropertyNames()) {
                boolean check = key.startsWith(TRIPS + "checks.");
                if (key.startsWith(TRIPS) && (!check || variant.getValue().equals("seeded"))) {
                    properties.put(prefix + key.substring(TRIPS.length()), seeds.getProperty(key));
                }
            }
            properties.put(prefix + "table", "trips_" + variant.getKey());
            properties.put(prefix + "source", month.toString());
            if (!variant.getValue().isEmpty() && !variant.getValue().equals("seeded")) {
                for (String line : variant.getValue().split("\n")) {
                    String[] pair = line.split("=", 2);
                    properties.put(prefix + pair[0], pair[1]);
                }
            }
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withMapping(DuckloadConfig.class)
                .withSources(new PropertiesConfigSource(properties, "check-cost", 500)).build();
        return config.getConfigMapping(DuckloadConfig.class);
    }
}
