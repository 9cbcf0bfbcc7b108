package io.duckload.testing;

import java.nio.file.Path;
import java.sql.SQLException;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;

/** The datasource the writer takes its DuckDB URL and settings from, for tests that build a writer by hand. */
public final class DuckDbPool {

    private DuckDbPool() {
    }

    /** A pool of one connection to the DuckDB file at {@code database}. */
    public static AgroalDataSource of(Path database) throws SQLException {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier().connectionPoolConfiguration(
                pool -> pool.maxSize(1).connectionFactoryConfiguration(factory -> factory
                        .jdbcUrl("jdbc:duckdb:" + database).connectionProviderClass(org.duckdb.DuckDBDriver.class))));
    }
}
