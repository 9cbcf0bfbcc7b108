package io.duckload.bench;

import java.nio.file.Path;
import java.util.Map;

import io.duckload.testing.ServiceProcess;

/**
 * Starts the packaged service for one phase of the benchmark: the run's broker and datasets, a DuckDB file, where
 * {@code taxi_trips} reads its months from, and a setting of {@code duckload.writer.hold-file}. It runs through
 * {@code bin/duckload}, as the README and the image run it, so its JVM defaults are part of what is measured.
 */
record Launcher(String bootstrapServers, Path work, Path config) {

    ServiceProcess start(String holdFile, Path database, Path sources, String log) {
        return start(holdFile, database, sources, log, null);
    }

    /** The same, run as the native executable {@code nativeExecutable} when it is not null (bin/duckload execs it). */
    ServiceProcess start(String holdFile, Path database, Path sources, String log, Path nativeExecutable) {
        Map<String, String> env = ServiceProcess.environment(bootstrapServers, database, work.resolve("staging"));
        env.put("DUCKLOAD_DATASETS_TAXI_TRIPS_SOURCE", sources + "/yellow_tripdata_{YYYY-MM}.parquet");
        env.put("QUARKUS_CONFIG_LOCATIONS", config.toUri().toString());
        env.put("DUCKLOAD_WRITER_HOLD_FILE", holdFile);
        env.put("DUCKLOAD_WRITER_GROUP_COMMIT", System.getProperty("bench.group-commit", "true"));
        // One static member identity for the phases (each has its own file, so the default id, derived from the
        // file's path, would differ): a phase's service takes over the stopped one's partitions at once instead of
        // waiting out its 45 s session (seen as a 36 s warm-up round in the second phase).
        env.put("DUCKLOAD_INSTANCE_ID", "duckload-bench");
        if (nativeExecutable != null) {
            env.put("DUCKLOAD_NATIVE", nativeExecutable.toAbsolutePath().toString());
        }
        return ServiceProcess.startWithLauncher(ServiceProcess.defaultJar(), env, work.resolve(log));
    }
}
