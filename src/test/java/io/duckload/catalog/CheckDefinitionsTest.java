package io.duckload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.duckload.catalog.DuckloadConfig.DatasetConfig;
import io.duckload.catalog.DuckloadConfig.ExportConfig;
import io.duckload.catalog.DuckloadConfig.PartitioningConfig;

/** Checks are validated at start against an in-memory table with the dataset's columns. */
class CheckDefinitionsTest {

    @Test
    void theSeededChecksOfApplicationPropertiesAreValid() {
        Dataset trips = Catalog.build("taxi_trips", checked(CatalogTest.TRIPS_CONFIG, seeded("taxi_trips")));
        Dataset zones = Catalog.build("taxi_zones", checked(
                CatalogTest.ZONES.withColumns("zone_id integer, zone varchar, borough varchar, geometry varchar"),
                seeded("taxi_zones")));

        assertThat(trips.checks()).extracting(Check::name)
                .containsExactly("not_truncated", "pickup_in_month", "zone_ids_present");
        assertThat(trips.checks()).extracting(Check::kind)
                .containsExactly(Check.Kind.MAX_DROP, Check.Kind.SQL, Check.Kind.NOT_NULL);
        assertThat(trips.checks().get(1).severity()).isEqualTo(Check.Severity.WARN);
        assertThat(trips.checks().get(2).sampleColumns()).containsExactly("pickup_zone_id", "dropoff_zone_id");
        assertThat(zones.checks()).extracting(Check::name).containsExactly("all_zones", "zone_ids_present");
        assertThat(zones.checks().get(0).limit()).isEqualTo(250.0);
    }

    @Test
    void aCheckThatDoesNotParseStopsTheStartNamingItsKey() {
        assertInvalid(Map.of("broken", sql("select * from {rows} where")), "duckload.datasets.taxi_trips.checks"
                + ".broken.sql: is not a valid check over the dataset's columns");
    }

    @Test
    void aCheckNamingAnUnknownColumnStopsTheStartNamingItsKey() {
        assertInvalid(Map.of("ghost", sql("select * from {rows} where pickup_zone is null")),
                "duckload.datasets.taxi_trips.checks.ghost.sql: is not a valid check over the dataset's columns");
        assertInvalid(Map.of("ghost", new TestCheck(Optional.empty(), Optional.empty(),
                Optional.of(List.of("pickup_zone_id", "pickup_zone")), Optional.empty(), Optional.empty(),
                Check.Severity.ERROR, Optional.empty())),
                "duckload.datasets.taxi_trips.checks.ghost.not-null: unknown column pickup_zone");
        assertInvalid(Map.of("ghost", new TestCheck(Optional.of("select * from {rows} where vendor_id > 2"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Check.Severity.WARN,
                Optional.of(List.of("vendor")))),
                "duckload.datasets.taxi_trips.checks.ghost.sample-columns: is not a valid check");
    }

    @Test
    void aCheckMustSayExactlyOneThingAndReadItsRows() {
        assertInvalid(Map.of("two", new TestCheck(Optional.empty(), Optional.of(1L), Optional.empty(),
                Optional.empty(), Optional.of(0.5), Check.Severity.ERROR, Optional.empty())),
                "duckload.datasets.taxi_trips.checks.two: set exactly one of sql, min-rows, not-null, unique, max-drop"
                        + " (found 2)");
        assertInvalid(Map.of("other", sql("select * from trips")),
                "duckload.datasets.taxi_trips.checks.other.sql: must read from {rows}");
        assertInvalid(Map.of("two_statements", sql("select * from {rows}; drop table trips")),
                "duckload.datasets.taxi_trips.checks.two_statements.sql: must be one select statement");
        assertInvalid(Map.of("drop", new TestCheck(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(1.5), Check.Severity.ERROR, Optional.empty())),
                "duckload.datasets.taxi_trips.checks.drop.max-drop: must be a share");
        assertInvalid(Map.of("bad-name", sql("select * from {rows}")),
                "duckload.datasets.taxi_trips.checks.bad-name: \"bad-name\" is not a plain SQL identifier");
    }

    @Test
    void checksNeedTheDatasetsColumns() {
        assertThatThrownBy(() -> Catalog.build("taxi_zones", checked(CatalogTest.ZONES,
                Map.of("some", sql("select * from {rows}"))))).isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("Invalid dataset catalog: duckload.datasets.taxi_zones.checks: checks need"
                        + " the dataset's columns");
    }

    private static void assertInvalid(Map<String, CheckConfig> checks, String message) {
        assertThatThrownBy(() -> Catalog.build("taxi_trips", checked(CatalogTest.TRIPS_CONFIG, checks)))
                .isInstanceOf(CatalogException.class).hasMessageStartingWith("Invalid dataset catalog: " + message);
    }

    private static TestCheck sql(String sql) {
        return new TestCheck(Optional.of(sql), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Check.Severity.ERROR, Optional.empty());
    }

    /** The checks application.properties configures for {@code dataset}, as SmallRye would map them. */
    static Map<String, CheckConfig> seeded(String dataset) {
        Properties properties = new Properties();
        try (InputStream in = CheckDefinitionsTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String prefix = "duckload.datasets." + dataset + ".checks.";
        Map<String, CheckConfig> checks = new java.util.TreeMap<>();
        properties.stringPropertyNames().stream().filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(prefix.length(), k.indexOf('.', prefix.length()))).distinct()
                .forEach(name -> {
                    String key = prefix + name + ".";
                    checks.put(name, new TestCheck(value(properties, key + "sql"),
                            value(properties, key + "min-rows").map(Long::valueOf), list(properties, key + "not-null"),
                            list(properties, key + "unique"), value(properties, key + "max-drop").map(Double::valueOf),
                            value(properties, key + "severity").map(s -> Check.Severity.valueOf(s.toUpperCase()))
                                    .orElse(Check.Severity.ERROR),
                            list(properties, key + "sample-columns")));
                });
        return checks;
    }

    private static Optional<String> value(Properties properties, String key) {
        return Optional.ofNullable(properties.getProperty(key));
    }

    private static Optional<List<String>> list(Properties properties, String key) {
        return value(properties, key).map(v -> Arrays.stream(v.split(",")).map(String::strip).toList());
    }

    static DatasetConfig checked(DatasetConfig base, Map<String, CheckConfig> checks) {
        return new DatasetConfig() {
            public String table() {
                return base.table();
            }

            public Optional<String> columns() {
                return base.columns();
            }

            public LoadMode mode() {
                return base.mode();
            }

            public Optional<PartitioningConfig> partitioning() {
                return base.partitioning();
            }

            public String source() {
                return base.source();
            }

            public Optional<SourceFormat> format() {
                return base.format();
            }

            public Optional<String> readerOptions() {
                return base.readerOptions();
            }

            public String select() {
                return base.select();
            }

            public ExportConfig export() {
                return base.export();
            }

            public Optional<String> dbtSelect() {
                return base.dbtSelect();
            }

            public Map<String, CheckConfig> checks() {
                return checks;
            }

            public Optional<List<String>> optionalSourceColumns() {
                return base.optionalSourceColumns();
            }

            public SchemaEvolution schemaEvolution() {
                return base.schemaEvolution();
            }

            public IntegrationsConfig.DatasetDagster dagster() {
                return base.dagster();
            }
        };
    }

    record TestCheck(Optional<String> sql, Optional<Long> minRows, Optional<List<String>> notNull,
            Optional<List<String>> unique, Optional<Double> maxDrop, Check.Severity severity,
            Optional<List<String>> sampleColumns) implements CheckConfig {
    }
}
