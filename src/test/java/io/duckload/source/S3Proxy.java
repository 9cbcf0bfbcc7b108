package io.duckload.source;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * s3proxy (org.gaul:s3proxy, an S3-compatible server) with the jclouds {@code filesystem} backend, on 127.0.0.1.
 * It runs as its own JVM from its jar-with-dependencies: its libraries (Jetty 12, jclouds, Jackson 3, logback,
 * cloud SDKs) would clash with Quarkus' on the test classpath. The jar is fetched once by
 * {@code mvn dependency:copy} into the build folder. Buckets are folders of {@link #basedir()}, objects files.
 */
final class S3Proxy implements AutoCloseable {

    /** The current generation. */
    static final String CURRENT = "4.1.0";
    /** The newest of the previous generation (Jetty 11, Java 11), which rejects the AWS SDK's checksum headers. */
    static final String OLD = "2.6.0";
    static final String IDENTITY = "duckload-test-key";
    static final String CREDENTIAL = "duckload-test-secret";

    private final Process process;
    private final Path basedir;
    private final int port;

    private S3Proxy(Process process, Path basedir, int port) {
        this.process = process;
        this.basedir = basedir;
        this.port = port;
    }

    /**
     * Starts s3proxy {@code version} serving the folders of {@code basedir} as buckets, signature v2/v4 with the
     * test keys.
     */
    static S3Proxy start(String version, Path basedir) throws IOException, InterruptedException {
        Path jar = jar(version);
        int port = SourceTestSupport.freePort();
        Path properties = basedir.resolveSibling("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "jclouds.provider=filesystem",
                "jclouds.identity=unused",
                "jclouds.credential=unused",
                "jclouds.filesystem.basedir=" + basedir.toAbsolutePath()));
        Path log = jar.resolveSibling("s3proxy-" + port + ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "--properties", properties.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3Proxy proxy = new S3Proxy(process, basedir, port);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> proxy.accepting() || !process.isAlive());
        } catch (ConditionTimeoutException e) {
            // Reported below with the log to read.
        }
        if (!proxy.accepting()) {
            proxy.close();
            throw new IllegalStateException("s3proxy did not start; see " + log);
        }
        return proxy;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    Path basedir() {
        return basedir;
    }

    private boolean accepting() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The s3proxy jar in the build folder, copied there from the local repository or Maven Central once. */
    private static Path jar(String version) throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("test.build.dir", "target")).toAbsolutePath().resolve("s3proxy");
        Path jar = dir.resolve("s3proxy-" + version + "-jar-with-dependencies.jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Files.createDirectories(dir);
        for (boolean offline : new boolean[] { true, false }) {
            List<String> command = new ArrayList<>(List.of(maven(), "-B", "-q"));
            if (offline) {
                command.add("-o");
            }
            command.addAll(List.of("org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy",
                    "-Dartifact=org.gaul:s3proxy:" + version + ":jar:jar-with-dependencies",
                    "-DoutputDirectory=" + dir));
            Process mvn = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mvn.log").toFile()).start();
            if (mvn.waitFor(5, TimeUnit.MINUTES) && mvn.exitValue() == 0 && Files.isRegularFile(jar)) {
                return jar;
            }
            mvn.destroyForcibly();
        }
        throw new IllegalStateException("cannot get org.gaul:s3proxy:" + version + "; see " + dir.resolve("mvn.log"));
    }

    /** Maven of this build (surefire passes maven.home), else the project's wrapper. */
    private static String maven() {
        String home = System.getProperty("maven.home");
        Path mvn = home == null ? null : Path.of(home, "bin", "mvn");
        return mvn != null && Files.isExecutable(mvn) ? mvn.toString() : Path.of("mvnw").toAbsolutePath().toString();
    }
}
