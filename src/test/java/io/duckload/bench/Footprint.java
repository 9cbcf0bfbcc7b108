package io.duckload.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaBroker;
import io.duckload.testing.ServiceProcess;

/**
 * Issue 11's footprint targets, measured for plain {@code java -jar} and for bin/duckload step by step in one run:
 * process start to /q/health/ready 200 (median of several starts), RSS idle after ready, peak RSS (VmHWM) while a
 * 3,000,000-row month loads {@code footprint.loads} times back to back (3), and RSS {@code footprint.settle-seconds}
 * (30) after the last load. Run it with {@code bin/footprint}; {@code -Dfootprint.only=<part of a setup's name>}
 * runs fewer setups, {@code -Dfootprint.java=<java>} runs the service on another runtime.
 */
public final class Footprint {

    static final Targets JVM = new Targets(2.0, 150, 300);
    /** Issue 30's for the native executable. */
    static final Targets NATIVE = new Targets(0.3, 80, 250);
    /** bin/duckload's setting for DuckDB's bundled jemalloc; empty means jemalloc's own defaults. */
    static final String JEMALLOC = "DUCKDB_JE_MALLOC_CONF";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private Footprint() {
    }

    /** Start to ready, idle RSS and peak RSS a setup is held to. */
    record Targets(double readySeconds, double idleMb, double peakMb) {
    }

    /** One way of running the service: a command before the application's arguments, and its environment. */
    record Setup(String name, List<String> command, Map<String, String> environment, Targets targets) {
        Setup(String name, List<String> command, Map<String, String> environment) {
            this(name, command, environment, JVM);
        }
    }

    /** What one setup measured. */
    record Measured(Setup setup, List<Double> readySeconds, double idleMb, double peakMb, List<Double> loadSeconds,
            double settledMb) {
        double readyMedian() {
            return Stats.of(readySeconds).median();
        }
    }

    public static void main(String[] args) throws Exception {
        long rows = Long.getLong("footprint.rows", 3_000_000);
        Path work = ServiceProcess.buildDir().resolve("footprint").toAbsolutePath();
        Path month = work.resolve("sources/yellow_tripdata_2023-01.parquet");
        if (Files.notExists(month)) {
            System.out.printf("Generating a %,d-row month in %s%n", rows, month);
            Fixtures.tripsParquet(month, "2023-01", rows);
        }
        int starts = Integer.getInteger("footprint.starts", 3);
        long idleSeconds = Long.getLong("footprint.idle-seconds", 10);
        Loads loads = new Loads(Integer.getInteger("footprint.loads", 3), Long.getLong("footprint.settle-seconds", 30));
        // The java that runs the service: this JVM's by default; e.g. a jlinked runtime to try it.
        String java = System.getProperty("footprint.java",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<Measured> results = new ArrayList<>();
        // A broker of its own in this JVM, or one already running (its own JVM, as in production: this one's threads
        // then do not share the 2 cores with the service's start).
        String external = System.getProperty("footprint.bootstrap-servers");
        KafkaBroker own = external == null ? KafkaBroker.start() : null;
        String bootstrapServers = own == null ? external : own.bootstrapServers();
        try (AutoCloseable broker = own == null ? () -> { } : own; RawKafka kafka = new RawKafka(bootstrapServers)) {
            for (Setup setup : setups(java, ServiceProcess.defaultJar())) {
                if (!setup.name().contains(System.getProperty("footprint.only", ""))) {
                    continue;
                }
                Map<String, String> env = ServiceProcess.environment(bootstrapServers,
                        work.resolve(slug(setup) + "/duckload.duckdb"), work.resolve(slug(setup) + "/staging"));
                // One static member identity for every setup (each has its own file, from whose path the default id
                // is derived): a setup's service takes over the stopped one's partitions at once instead of waiting out
                // its 45 s session (seen as a 26 s first load of the native setup, which starts in under a second).
                env.put("DUCKLOAD_INSTANCE_ID", "duckload-footprint");
                env.put("DUCKLOAD_DATASETS_TAXI_TRIPS_SOURCE",
                        work.resolve("sources") + "/yellow_tripdata_{YYYY-MM}.parquet");
                env.putAll(setup.environment());
                results.add(measure(setup, env, work.resolve(slug(setup) + ".log"), kafka, starts, idleSeconds, loads));
                System.out.println(row(results.get(results.size() - 1)));
            }
        }
        System.out.println();
        System.out.println(table(results, rows, loads));
    }

    /** Plain java -jar, then bin/duckload's settings added one at a time, then the C1-only variant. */
    static List<Setup> setups(String java, Path jar) {
        List<String> plain = List.of(java, "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString());
        List<String> launcher = List.of(Path.of("bin/duckload").toAbsolutePath().toString());
        Map<String, String> app = Map.of("DUCKLOAD_APP", jar.getParent().toString(), "JAVA", java);
        String oldDuckDb = "19GB"; // before duckload.duckdb: DuckDB's own default, 80% of this machine's memory
        List<Setup> setups = new ArrayList<>();
        setups.add(new Setup("java -jar, DuckDB unbounded (before)", plain,
                Map.of("DUCKLOAD_DUCKDB_MEMORY_LIMIT", oldDuckDb)));
        setups.add(new Setup("java -jar (memory-limit 256MB, threads 2)", plain, Map.of()));
        // 16 = glibc's own default on 64-bit: 8 arenas per core.
        String untrimmed = "-XX:TrimNativeHeapInterval=0"; // the launcher's trimming off, until its own row
        String jemallocDefaults = ""; // DuckDB's jemalloc with its own defaults, until its own row
        setups.add(new Setup("+ heap/GC/stack/code cache flags", launcher, with(app, "DUCKLOAD_CDS", "off",
                "MALLOC_ARENA_MAX", "16", "DUCKLOAD_JAVA_OPTS", untrimmed, JEMALLOC, jemallocDefaults)));
        setups.add(new Setup("+ MALLOC_ARENA_MAX=2", launcher,
                with(app, "DUCKLOAD_CDS", "off", "DUCKLOAD_JAVA_OPTS", untrimmed, JEMALLOC, jemallocDefaults)));
        setups.add(new Setup("+ AppCDS archive", launcher,
                with(app, "DUCKLOAD_JAVA_OPTS", untrimmed, JEMALLOC, jemallocDefaults)));
        setups.add(new Setup("+ native heap trimmed every 5 s", launcher, with(app, JEMALLOC, jemallocDefaults)));
        setups.add(new Setup("+ DuckDB's jemalloc returns freed pages after 3 s (bin/duckload default)", launcher,
                app));
        setups.add(new Setup("bin/duckload + C1 only (-XX:TieredStopAtLevel=1)", launcher,
                with(app, "DUCKLOAD_JAVA_OPTS", "-XX:TieredStopAtLevel=1")));
        // The native executable beside them (-Dfootprint.native=<executable>, bin/footprint's default: the one built).
        String nativeExecutable = System.getProperty("footprint.native", "");
        if (!nativeExecutable.isBlank()) {
            setups.add(new Setup("bin/duckload, native executable", launcher,
                    with(app, "DUCKLOAD_CDS", "off", "DUCKLOAD_NATIVE",
                            Path.of(nativeExecutable).toAbsolutePath().toString()), NATIVE));
        }
        return setups;
    }

    /** The month loaded {@code count} times back to back; RSS read again {@code settleSeconds} after the last. */
    record Loads(int count, long settleSeconds) {
    }

    static Measured measure(Setup setup, Map<String, String> env, Path log, RawKafka kafka, int starts,
            long idleSeconds, Loads loads) throws Exception {
        List<Double> ready = new ArrayList<>();
        // With AppCDS the first start writes the archive when it stops: not counted, as a deployment pays it once.
        boolean warmUp = setup.environment().get("DUCKLOAD_CDS") == null && setup.command().get(0).endsWith("duckload");
        for (int i = warmUp ? -1 : 0; i < starts - 1; i++) {
            long started = System.nanoTime();
            Process process = start(setup, env, log);
            double seconds = awaitReady(process, started, env);
            if (i >= 0) {
                ready.add(seconds);
            }
            stop(process);
        }
        long started = System.nanoTime();
        Process process = start(setup, env, log);
        ready.add(awaitReady(process, started, env));
        TimeUnit.SECONDS.sleep(idleSeconds);
        RssSampler rss = RssSampler.start(process.pid());
        double idle = rss.currentMb();
        List<Double> load = new ArrayList<>();
        for (int i = 0; i < loads.count(); i++) {
            String requestId = UUID.randomUUID().toString();
            long sent = kafka.send(requestId, "taxi_trips", "2023-01-01");
            load.add((kafka.awaitArrival(requestId, Duration.ofMinutes(5)) - sent) / 1e9);
        }
        double peak = rss.stopAndPeakMb();
        TimeUnit.SECONDS.sleep(loads.settleSeconds());
        double settled = rss.currentMb();
        stop(process);
        return new Measured(setup, ready, idle, peak, load, settled);
    }

    private static Process start(Setup setup, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(setup.command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("MALLOC_ARENA_MAX");
        builder.environment().remove(JEMALLOC);
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", env.getOrDefault("QUARKUS_HTTP_PORT",
                Integer.toString(KafkaBroker.freePort())));
        env.put("QUARKUS_HTTP_PORT", builder.environment().get("QUARKUS_HTTP_PORT"));
        return builder.start();
    }

    /**
     * Seconds from just before the process was started ({@code started}, a nanoTime) to the first 200 of
     * /q/health/ready, polled every 20 ms. Not ProcessHandle's startInstant: on Linux it is the boot time, which
     * /proc/stat gives in whole seconds, plus the process's start ticks, so it comes out early by up to a second
     * (0.75 s on this machine's boot of 2026-12-06): start-to-ready figures taken that way before were too long by it.
     */
    private static double awaitReady(Process process, long started, Map<String, String> env) throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("QUARKUS_HTTP_PORT")
                + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited with " + process.exitValue());
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - started) / 1e9;
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new IllegalStateException("not ready within 120 s");
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    static String row(Measured m) {
        List<String> starts = m.readySeconds().stream().map(s -> String.format("%.2f", s)).toList();
        List<String> loads = m.loadSeconds().stream().map(s -> String.format("%.2f", s)).toList();
        Targets targets = m.setup().targets();
        return String.format("| %s | %.2f s %s (%s) | %.0f MiB %s | %.0f MiB %s | %.0f MiB | %s s |", m.setup().name(),
                m.readyMedian(), mark(m.readyMedian() < targets.readySeconds()), String.join(", ", starts), m.idleMb(),
                mark(m.idleMb() < targets.idleMb()), m.peakMb(), mark(m.peakMb() < targets.peakMb()), m.settledMb(),
                String.join(", ", loads));
    }

    static String table(List<Measured> results, long rows, Loads loads) {
        StringBuilder text = new StringBuilder(String.format(
                "| setup | start to ready (median; target < %.0f s, native < %.1f s) | RSS idle (target < %.0f MiB,"
                        + " native < %.0f MiB) | peak RSS, %,d-row month loaded %d times back to back (target < %.0f"
                        + " MiB, native < %.0f MiB) | RSS %d s after the last load | each load, request to event |%n"
                        + "|---|---|---|---|---|---|%n",
                JVM.readySeconds(), NATIVE.readySeconds(), JVM.idleMb(), NATIVE.idleMb(), rows, loads.count(),
                JVM.peakMb(), NATIVE.peakMb(), loads.settleSeconds()));
        results.forEach(m -> text.append(row(m)).append(System.lineSeparator()));
        return text.toString();
    }

    private static String mark(boolean met) {
        return met ? "" : "MISSED";
    }

    private static String slug(Setup setup) {
        return setup.name().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "").toLowerCase();
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> env = new LinkedHashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }
}
