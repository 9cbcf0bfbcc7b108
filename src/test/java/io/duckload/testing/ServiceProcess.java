package io.duckload.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a separate process, configured by
 * environment variables as an operator would. Under {@code ./mvnw verify -Pnative} the system property
 * {@code native.image.path} names the native executable, and every test that starts the service runs that instead,
 * with the same environment and {@code -D} options.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private ServiceProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the service and waits until its readiness check answers UP. */
    public static ServiceProcess start(Path jar, Map<String, String> environment, Path log, String... jvmOptions) {
        ServiceProcess service = launch(jar, environment, log, jvmOptions);
        service.awaitReady(Duration.ofSeconds(90));
        return service;
    }

    /** Starts the service without waiting for readiness (for tests of a service that must stay not ready). */
    public static ServiceProcess launch(Path jar, Map<String, String> environment, Path log, String... jvmOptions) {
        Optional<Path> executable = nativeExecutable();
        List<String> command = new ArrayList<>();
        command.add(executable.map(Path::toString).orElseGet(ServiceProcess::java));
        command.addAll(List.of(jvmOptions));
        if (executable.isEmpty()) {
            command.add("-jar");
            command.add(jar.toAbsolutePath().toString());
        }
        return launch(command, environment, log);
    }

    /**
     * Starts the service through {@code bin/duckload}, the launcher with the README's JVM settings, on the packaged
     * app next to {@code jar} and this JVM's java; waits until it is ready.
     */
    public static ServiceProcess startWithLauncher(Path jar, Map<String, String> environment, Path log) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("DUCKLOAD_APP", jar.toAbsolutePath().getParent().toString());
        env.put("JAVA", java());
        nativeExecutable().ifPresent(executable -> env.put("DUCKLOAD_NATIVE", executable.toString()));
        ServiceProcess service = launch(List.of(Path.of("bin/duckload").toAbsolutePath().toString()), env, log);
        service.awaitReady(Duration.ofSeconds(90));
        return service;
    }

    /** The native executable to run instead of the jar, when the tests were started with {@code -Pnative}. */
    public static Optional<Path> nativeExecutable() {
        String path = System.getProperty("native.image.path", "");
        if (path.isBlank()) {
            return Optional.empty();
        }
        Path executable = Path.of(path).toAbsolutePath();
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("native.image.path names no executable: " + executable
                    + " (build it with ./mvnw package -Pnative)");
        }
        return Optional.of(executable);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static ServiceProcess launch(List<String> command, Map<String, String> environment, Path log) {
        int port = KafkaBroker.freePort();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putIfAbsent("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().putAll(env);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            return new ServiceProcess(builder.start(), log, Integer.parseInt(env.get("QUARKUS_HTTP_PORT")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    /**
     * The environment every run of the service needs: the broker, the DuckDB file and the staging folder. The map
     * is mutable, for the settings of each test.
     */
    public static Map<String, String> environment(String bootstrapServers, Path database, Path staging) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("DUCKLOAD_DATABASE", database.toString());
        env.put("DUCKLOAD_STAGING_DIR", staging.toString());
        return env;
    }

    /** As {@link #environment(String, Path, Path)}, with taxi_trips read from {@code tripSources}' monthly files. */
    public static Map<String, String> environment(String bootstrapServers, Path database, Path staging,
            Path tripSources) {
        Map<String, String> env = environment(bootstrapServers, database, staging);
        env.put("DUCKLOAD_DATASETS_TAXI_TRIPS_SOURCE", tripSources + "/yellow_tripdata_{YYYY-MM}.parquet");
        return env;
    }

    public static Path defaultJar() {
        return buildDir().resolve("quarkus-app/quarkus-run.jar");
    }

    /** Maven's output folder: {@code target}, unless the build was given another with {@code -DbuildDir}. */
    public static Path buildDir() {
        return Path.of(System.getProperty("test.build.dir", "target"));
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Body of GET {@code path} on the service's HTTP port, with its status code first. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).timeout(Duration.ofSeconds(5)).build());
    }

    /** POST {@code path} without a body, as the basic-auth operator of {@link Credentials#operatorOptions()}. */
    public HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return post(path, Credentials.basicHeader());
    }

    /** POST {@code path} without a body, with this {@code Authorization} header. */
    public HttpResponse<String> post(String path, String authorization) throws IOException, InterruptedException {
        return send(request(path).timeout(Duration.ofSeconds(60)).header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the readiness check answers UP; fails if the process exits first. */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("service not ready within " + timeout + "; see " + log);
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    public int stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, as a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }
}
