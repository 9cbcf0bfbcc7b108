package io.duckload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.duckload.catalog.DuckloadConfig.DatasetConfig;
import io.duckload.catalog.DuckloadConfig.PartitioningConfig;

class CatalogTest {

    /** The two datasets of application.properties. */
    static final TestDataset ZONES = new TestDataset("zones", Optional.empty(), LoadMode.REPLACE_TABLE,
            Optional.empty(), "https://community-engineering-artifacts.s3.us-west-2.amazonaws.com/dagster-university"
                    + "/data/taxi_zones.csv",
            Optional.empty(), Optional.empty(),
            "select LocationID as zone_id, zone, borough, the_geom as geometry from {source}");
    static final TestPartitioning MONTHLY = new TestPartitioning(Granularity.MONTHLY, LocalDate.of(2023, 1, 1),
            Optional.empty(), "partition_date", "yyyy-MM");
    static final TestDataset TRIPS_CONFIG = new TestDataset("trips", Optional.of("""
            vendor_id integer, pickup_zone_id integer, dropoff_zone_id integer, rate_code_id double, \
            payment_type integer, dropoff_datetime timestamp, pickup_datetime timestamp, trip_distance double, \
            passenger_count double, total_amount double, partition_date varchar"""), LoadMode.REPLACE_PARTITION,
            Optional.of(MONTHLY), "https://d37ci6vzurychx.cloudfront.net/trip-data/yellow_tripdata_{YYYY-MM}.parquet",
            Optional.empty(), Optional.empty(), """
                    select VendorID, PULocationID, DOLocationID, RatecodeID, payment_type, tpep_dropoff_datetime, \
                    tpep_pickup_datetime, trip_distance, passenger_count, total_amount, {partition_value} \
                    from {source}""");

    @Test
    void defaultDatasetsAreValid() {
        Catalog catalog = new Catalog(Map.of("taxi_zones", ZONES, "taxi_trips", TRIPS_CONFIG));
        assertThat(catalog.all()).containsOnlyKeys("taxi_trips", "taxi_zones");
        assertThat(catalog.find("taxi_trips").orElseThrow().partitioned()).isTrue();
        assertThat(catalog.find("taxi_zones").orElseThrow().partitioned()).isFalse();
        assertThat(catalog.find("taxi_zones").orElseThrow().select().names()).containsExactly("source");
    }

    @Test
    void emptyCatalogIsRejected() {
        assertThatThrownBy(() -> new Catalog(Map.of())).isInstanceOf(CatalogException.class)
                .hasMessage("Invalid dataset catalog: duckload.datasets: no dataset is defined");
    }

    @Test
    void unknownPlaceholderIsRejectedNamingItsKey() {
        assertInvalid("taxi_trips", TRIPS_CONFIG.withSource("https://x/trips_{YYYYMM}.parquet"), ".source",
                "{YYYYMM}");
        assertInvalid("taxi_trips", TRIPS_CONFIG.withSelect("select {partition_key} from {source}"), ".select",
                "{partition_key}");
    }

    @Test
    void partitionPlaceholderInAnUnpartitionedDatasetIsUnknown() {
        assertInvalid("taxi_zones", ZONES.withSource("https://x/zones_{YYYY-MM}.csv"), ".source", "{YYYY-MM}");
        assertInvalid("taxi_zones", ZONES.withSelect("select {partition_value} from {source}"), ".select");
    }

    @Test
    void selectNotReadingTheSourceIsRejected() {
        assertInvalid("taxi_trips", TRIPS_CONFIG.withSelect("select 1 as one"), ".select", "{source}");
    }

    @ParameterizedTest
    @ValueSource(strings = { "delete from trips where {source} is null", "select * from {source}; drop table zones" })
    void selectThatIsNotOneSelectIsRejected(String select) {
        assertInvalid("taxi_zones", ZONES.withSelect(select), ".select");
    }

    @Test
    void replacePartitionWithoutPartitioningIsRejected() {
        assertInvalid("taxi_trips", TRIPS_CONFIG.withPartitioning(null), ".partitioning");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "  " })
    void replacePartitionWithoutColumnsIsRejected(String columns) {
        assertInvalid("taxi_trips", TRIPS_CONFIG.withColumns(columns.isEmpty() ? null : columns), ".columns");
    }

    @Test
    void partitioningWithReplaceTableIsRejected() {
        assertInvalid("taxi_trips", TRIPS_CONFIG.withMode(LoadMode.REPLACE_TABLE), ".mode");
    }

    @ParameterizedTest
    @ValueSource(strings = { "trips; drop", "", "1trips", "\"trips\"" })
    void tableThatIsNotAnIdentifierIsRejected(String table) {
        assertInvalid("taxi_trips", TRIPS_CONFIG.withTable(table), ".table");
    }

    @ParameterizedTest
    @ValueSource(strings = { "gs://bucket/trips_{YYYY-MM}.parquet", "ftp://host/trips_{YYYY-MM}.parquet",
            "jar:file:/x.jar!/trips.parquet" })
    void sourceWithAnUnsupportedSchemeIsRejected(String source) {
        assertInvalid("taxi_trips", TRIPS_CONFIG.withSource(source), ".source", "unsupported scheme");
    }

    @ParameterizedTest
    @ValueSource(strings = { "data/trips_{YYYY-MM}.parquet", "file:///data/trips_{YYYY-MM}.parquet",
            "HTTPS://example.org/trips_{YYYY-MM}.parquet.gz" })
    void localPathsFileUrlsAndHttpUrlsAreAccepted(String source) {
        assertThat(Catalog.build("taxi_trips", TRIPS_CONFIG.withSource(source)).source().toString()).isEqualTo(source);
    }

    @Test
    void sourceWithoutKnownExtensionNeedsAFormat() {
        assertInvalid("taxi_zones", ZONES.withSource("https://x/zones.txt"), ".format");
        assertThat(Catalog.build("zones", ZONES.withSource("https://x/zones.txt").withFormat(SourceFormat.CSV))
                .format()).contains(SourceFormat.CSV);
    }

    @Test
    void monthlyPartitioningStartingInsideAMonthIsRejected() {
        assertInvalid("taxi_trips", TRIPS_CONFIG.withPartitioning(MONTHLY.withStart(LocalDate.of(2023, 1, 15))),
                ".partitioning.start");
    }

    @ParameterizedTest
    @ValueSource(strings = { "2022-12-01", "2023-01-01" })
    void endNotAfterTheStartIsRejected(String end) {
        assertInvalid("taxi_trips", TRIPS_CONFIG.withPartitioning(MONTHLY.withEnd(LocalDate.parse(end))),
                ".partitioning.end");
    }

    @Test
    void invalidValueFormatIsRejected() {
        var partitioning = new TestPartitioning(Granularity.MONTHLY, MONTHLY.start(), Optional.empty(),
                "partition_date", "yyyy-MM-{");
        assertInvalid("taxi_trips", TRIPS_CONFIG.withPartitioning(partitioning), ".partitioning.value-format");
    }

    /** Asserts that dataset {@code name} defined by {@code config} is rejected naming its key {@code key}. */
    private static void assertInvalid(String name, TestDataset config, String key, String... details) {
        String prefix = "Invalid dataset catalog: duckload.datasets." + name + key + ": ";
        assertThatThrownBy(() -> new Catalog(Map.of(name, config))).isInstanceOf(CatalogException.class)
                .hasMessageStartingWith(prefix)
                .hasMessageContainingAll(Stream.concat(Stream.of(prefix), Stream.of(details)).toArray(String[]::new));
    }

    record TestDataset(String table, Optional<String> columns, LoadMode mode, Optional<PartitioningConfig> partitioning,
            String source, Optional<SourceFormat> format, Optional<String> readerOptions, String select)
            implements DatasetConfig {

        @Override
        public DuckloadConfig.ExportConfig export() {
            return () -> false;
        }

        @Override
        public Optional<String> dbtSelect() {
            return Optional.empty();
        }

        @Override
        public io.duckload.catalog.IntegrationsConfig.DatasetDagster dagster() {
            return Optional::empty;
        }

        @Override
        public Map<String, CheckConfig> checks() {
            return Map.of();
        }

        @Override
        public Optional<List<String>> optionalSourceColumns() {
            return Optional.empty();
        }

        @Override
        public SchemaEvolution schemaEvolution() {
            return SchemaEvolution.ADDITIVE;
        }

        TestDataset withTable(String value) {
            return new TestDataset(value, columns, mode, partitioning, source, format, readerOptions, select);
        }

        TestDataset withColumns(String value) {
            return new TestDataset(table, Optional.ofNullable(value), mode, partitioning, source, format,
                    readerOptions, select);
        }

        TestDataset withMode(LoadMode value) {
            return new TestDataset(table, columns, value, partitioning, source, format, readerOptions, select);
        }

        TestDataset withPartitioning(PartitioningConfig value) {
            return new TestDataset(table, columns, mode, Optional.ofNullable(value), source, format, readerOptions,
                    select);
        }

        TestDataset withSource(String value) {
            return new TestDataset(table, columns, mode, partitioning, value, format, readerOptions, select);
        }

        TestDataset withFormat(SourceFormat value) {
            return new TestDataset(table, columns, mode, partitioning, source, Optional.of(value), readerOptions,
                    select);
        }

        TestDataset withSelect(String value) {
            return new TestDataset(table, columns, mode, partitioning, source, format, readerOptions, value);
        }
    }

    record TestPartitioning(Granularity granularity, LocalDate start, Optional<LocalDate> end, String column,
            String valueFormat) implements PartitioningConfig {

        TestPartitioning withStart(LocalDate value) {
            return new TestPartitioning(granularity, value, end, column, valueFormat);
        }

        TestPartitioning withEnd(LocalDate value) {
            return new TestPartitioning(granularity, start, Optional.of(value), column, valueFormat);
        }
    }
}
