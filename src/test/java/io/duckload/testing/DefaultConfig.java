package io.duckload.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.duckload.catalog.DuckloadConfig;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** duckload's configuration with every default, as the mapping declares them, for plain unit tests. */
public final class DefaultConfig {

    private DefaultConfig() {
    }

    /** The defaults, with the DuckDB file at {@code database} and {@code properties} (key, value, …) on top. */
    public static DuckloadConfig of(Path database, String... properties) {
        Map<String, String> values = new HashMap<>();
        values.put("duckload.database", database.toString());
        for (int i = 0; i < properties.length; i += 2) {
            values.put(properties[i], properties[i + 1]);
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder().withConverter(Path.class, 100, Path::of)
                .withMapping(DuckloadConfig.class).withDefaultValues(values).build();
        return config.getConfigMapping(DuckloadConfig.class);
    }
}
