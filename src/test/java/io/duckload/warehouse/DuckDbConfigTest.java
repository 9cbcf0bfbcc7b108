package io.duckload.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.StreamSupport;

import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.duckload.catalog.CatalogException;
import io.duckload.catalog.DuckDbConfig;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.failure.Pause;
import io.duckload.testing.Fixtures;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * duckload.duckdb.* reach the writer's DuckDB instance and the API's reads through it, built from the service's
 * application.properties as Quarkus builds them, on a real DuckDB file; tests open the file with the same values.
 */
class DuckDbConfigTest {

    private static final String POOL_PROPERTIES = "quarkus.datasource.jdbc.additional-jdbc-properties.";

    @TempDir
    Path dir;

    @Test
    void writerAndReadersOfTheFileRunWithTheConfiguredBounds() throws Exception {
        SmallRyeConfig config = serviceConfig("duckload.duckdb.memory-limit", "300MiB", "duckload.duckdb.threads",
                "1");
        try (AgroalDataSource pool = pool(config)) {
            WriterFile file = new WriterFile(pool, config.getConfigMapping(DuckloadConfig.class), () -> true);
            assertThat(settings(file.get())).containsExactly("300.0 MiB", "1");
            // A reader in the same JVM reads through the writer's database instance.
            assertThat(file.read(DuckDbConfigTest::settings).map(List::of)).contains(List.of("300.0 MiB", "1"));
            file.close();
        }
    }

    @Test
    void defaultsAreTheOnesTestsOpenTheFileWith() throws Exception {
        SmallRyeConfig config = serviceConfig();
        try (AgroalDataSource pool = pool(config)) {
            WriterFile file = new WriterFile(pool, config.getConfigMapping(DuckloadConfig.class), () -> true);
            // 256MB is 256,000,000 bytes, which DuckDB shows in MiB.
            assertThat(settings(file.get())).containsExactly("244.1 MiB", "2");
            file.close();
            try (Connection fixture = Fixtures.open(dir.resolve("duckload.duckdb"))) {
                assertThat(settings(fixture)).containsExactly("244.1 MiB", "2");
            }
        }
    }

    @Test
    void valuesDuckDbWouldRefuseOrIgnoreStopTheStartNamingTheKey() throws IOException {
        assertThatThrownBy(() -> validate("duckload.duckdb.threads", "0")).isInstanceOf(CatalogException.class)
                .hasMessageContaining("duckload.duckdb.threads").hasMessageContaining("at least 1");
        // No unit: DuckDB refuses it; a percentage: DuckDB ignores it and keeps 80% of the machine's memory.
        for (String limit : new String[] {"256", "80%", "lots", "none", "-1"}) {
            assertThatThrownBy(() -> validate("duckload.duckdb.memory-limit", limit))
                    .isInstanceOf(CatalogException.class).hasMessageContaining("duckload.duckdb.memory-limit")
                    .hasMessageContaining("'" + limit + "'");
        }
        validate("duckload.duckdb.memory-limit", "1.5GiB");
        validate("duckload.duckdb.memory-limit", "512 mb");
    }

    @Test
    void aFileTheWriterCreatesHasTheConfiguredStorageVersion() throws Exception {
        SmallRyeConfig config = serviceConfig("duckload.duckdb.storage-version", "v1.2.0");
        try (AgroalDataSource pool = pool(config)) {
            StorageVersion storage = new StorageVersion(config.getConfigMapping(DuckloadConfig.class));
            WriterFile file = new WriterFile(pool, config.getConfigMapping(DuckloadConfig.class), storage, () -> true,
                    Pause.real(), Clock.systemUTC());
            file.get();
            file.close();

            assertThat(storage.found()).contains("v1.2.0+");
            assertThat(storage.newerThanSetting()).isFalse();
            assertThat(storageVersionOf(dir.resolve("duckload.duckdb"))).isEqualTo("v1.2.0+");
        }
    }

    @Test
    void anExistingFileKeepsItsFormatAndIsReportedNewerThanTheSetting() throws Exception {
        Path database = dir.resolve("duckload.duckdb");
        try (Connection duckdb = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                var statement = duckdb.createStatement()) {
            statement.execute("ATTACH '" + database + "' AS made (STORAGE_VERSION 'latest')");
            statement.execute("DETACH made");
        }
        String created = storageVersionOf(database);
        SmallRyeConfig config = serviceConfig();
        try (AgroalDataSource pool = pool(config)) {
            StorageVersion storage = new StorageVersion(config.getConfigMapping(DuckloadConfig.class));
            WriterFile file = new WriterFile(pool, config.getConfigMapping(DuckloadConfig.class), storage, () -> true,
                    Pause.real(), Clock.systemUTC());
            file.get().createStatement().execute("CREATE TABLE written AS SELECT 1 AS one");
            file.close();

            assertThat(storage.found()).contains(created);
            assertThat(storage.newerThanSetting()).isTrue();
        }
        assertThat(created).isEqualTo("v2.0.0+");
        assertThat(storageVersionOf(database)).isEqualTo(created);
    }

    @Test
    void aStorageVersionDuckDbDoesNotKnowStopsTheStartNamingTheKey() throws Exception {
        for (String version : new String[] {"1.4.0", "v1.4", "newest", "v1.4.0'"}) {
            assertThatThrownBy(() -> validate("duckload.duckdb.storage-version", version))
                    .isInstanceOf(CatalogException.class).hasMessageContaining("duckload.duckdb.storage-version")
                    .hasMessageContaining("'" + version + "'");
        }
        SmallRyeConfig config = serviceConfig("duckload.duckdb.storage-version", "v1.9.0");
        try (AgroalDataSource pool = pool(config)) {
            WriterFile file = new WriterFile(pool, config.getConfigMapping(DuckloadConfig.class), () -> true);
            assertThatThrownBy(file::get).isInstanceOf(CatalogException.class)
                    .hasMessageContaining("duckload.duckdb.storage-version").hasMessageContaining("v1.4.0, v1.4.1");
        }
        assertThat(dir.resolve("duckload.duckdb")).doesNotExist();
    }

    @Test
    void aFileIsNewerThanTheSettingWhenItNeedsANewerReader() {
        assertThat(StorageVersion.newer("v2.0.0+", "v1.4.0")).isTrue();
        assertThat(StorageVersion.newer("v1.4.0+", "v1.3.2")).isTrue();
        assertThat(StorageVersion.newer("v1.4.0+", "v1.4.3")).isFalse();
        assertThat(StorageVersion.newer("v1.0.0+", "v1.1.0")).isFalse();
        assertThat(StorageVersion.newer("v2.0.0+", "latest")).isFalse();
        assertThat(StorageVersion.newer("unknown", "v1.0.0")).isFalse();
    }

    private static String storageVersionOf(Path database) throws SQLException {
        try (Connection duckdb = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                var statement = duckdb.createStatement()) {
            statement.execute("ATTACH '" + database + "' AS inspected (READ_ONLY)");
            try (ResultSet row = statement.executeQuery("SELECT map_extract_value(tags, 'storage_version') "
                    + "FROM duckdb_databases() WHERE database_name = 'inspected'")) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private void validate(String key, String value) throws IOException {
        DuckDbConfig.validate(serviceConfig(key, value).getConfigMapping(DuckloadConfig.class).duckdb());
    }

    /** The service's application.properties, with the file in the temp dir and {@code properties} on top. */
    private SmallRyeConfig serviceConfig(String... properties) throws IOException {
        Map<String, String> values = new HashMap<>();
        values.put("duckload.database", dir.resolve("duckload.duckdb").toString());
        for (int i = 0; i < properties.length; i += 2) {
            values.put(properties[i], properties[i + 1]);
        }
        URL application = DuckDbConfigTest.class.getResource("/application.properties");
        return new SmallRyeConfigBuilder().addDefaultInterceptors().addSystemSources()
                .withConverter(Path.class, 100, Path::of)
                .withMapping(DuckloadConfig.class)
                .withSources(new PropertiesConfigSource(application, 250))
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build();
    }

    /** The datasource as quarkus.datasource.jdbc.* describes it. */
    private static AgroalDataSource pool(SmallRyeConfig config) throws SQLException {
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        Map<String, String> jdbc = new HashMap<>();
        StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> name.startsWith(POOL_PROPERTIES))
                .forEach(name -> jdbc.put(name.substring(POOL_PROPERTIES.length()),
                        config.getValue(name, String.class)));
        assertThat(jdbc).containsKeys("memory_limit", "threads");
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier().connectionPoolConfiguration(
                pool -> pool.maxSize(2).connectionFactoryConfiguration(factory -> {
                    factory.jdbcUrl(url).connectionProviderClass(DuckDBDriver.class);
                    jdbc.forEach(factory::jdbcProperty);
                    return factory;
                })));
    }

    private static String[] settings(Connection connection) throws SQLException {
        try (ResultSet row = connection.createStatement().executeQuery(
                "SELECT current_setting('memory_limit'), current_setting('threads')")) {
            row.next();
            return new String[] {row.getString(1), row.getString(2)};
        }
    }
}
