package io.duckload.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.duckdb.DuckDBDriver;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.SourceFormat;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The real config mapping built from a few properties, plus DuckDB-made CSV fixtures and checks on staging. */
final class SourceTestSupport {

    private SourceTestSupport() {
    }

    /**
     * {@link DuckloadConfig} as the service would see it, with its defaults, staging into {@code staging} and
     * {@code properties} on top (e.g. {@code "duckload.http.read-timeout", "PT1S"}).
     */
    static DuckloadConfig config(Path staging, String... properties) {
        Map<String, String> values = new HashMap<>();
        values.put("duckload.database", staging.resolveSibling("unused.duckdb").toString());
        values.put("duckload.staging-dir", staging.toString());
        for (int i = 0; i < properties.length; i += 2) {
            values.put(properties[i], properties[i + 1]);
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withConverter(Path.class, 100, Path::of)
                .withMapping(DuckloadConfig.class)
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build();
        return config.getConfigMapping(DuckloadConfig.class);
    }

    /** Writes a CSV of {@code rows} zones with a header; DuckDB compresses it by the name's .gz or .zst. */
    static Path zonesCsv(Path file, int rows) {
        sql("COPY (SELECT i AS zone_id, 'Zone ' || i AS zone FROM range(" + rows + ") t(i)) TO '"
                + file.toAbsolutePath() + "' (FORMAT csv, HEADER)");
        return file;
    }

    /** Rows DuckDB reads from a staged source, with the reader a load uses. */
    static long rowsOf(StagedSource source) {
        try (Connection connection = duckdb();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM " + source.format().reader(Optional.empty()))) {
            query.setString(1, source.file().toString());
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sql(String statement) {
        try (Connection connection = duckdb();
                var run = connection.createStatement()) {
            run.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }

    /**
     * An in-memory DuckDB, from the driver itself: after a @QuarkusTest in the same JVM, DriverManager may no longer
     * know the driver.
     */
    private static Connection duckdb() throws SQLException {
        return new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest("SHA-256", bytes));
    }

    static String md5(byte[] bytes) {
        return HexFormat.of().formatHex(digest("MD5", bytes));
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asserts that a download succeeded as a staged copy of exactly {@code expected}, with nothing else left. */
    static void assertStaged(StagedSource source, byte[] expected, Path staging) throws IOException {
        assertThat(source.staged()).isTrue();
        assertThat(source.file().getParent()).isEqualTo(staging);
        assertThat(source.bytes()).isEqualTo(expected.length);
        assertThat(source.sha256()).isEqualTo(sha256(expected));
        assertThat(Files.readAllBytes(source.file())).isEqualTo(expected);
        assertThat(filesIn(staging)).containsExactly(source.file());
    }

    /**
     * Fetches {@code location} as a CSV, which must fail with {@code code} leaving nothing in staging; returns the
     * failure.
     */
    static LoadException assertFetchFails(SourceFetcher fetcher, String location, ErrorCode code, Path staging)
            throws IOException {
        LoadException failure = catchThrowableOfType(LoadException.class,
                () -> fetcher.fetch(location, SourceFormat.CSV, "load-1"));
        assertThat(failure).as("the fetch fails").isNotNull();
        assertThat(failure.code()).as(failure.getMessage()).isEqualTo(code);
        assertThat(filesIn(staging)).as("staging after a failed fetch").isEmpty();
        return failure;
    }

    /** A port on 127.0.0.1 that nothing listens on (for a while). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server on 127.0.0.1 that answers one connection with {@code answer} once it read the request's headers. */
    static ServerSocket rawServer(RawAnswer answer) throws IOException {
        ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            try (Socket socket = raw.accept()) {
                readHeaders(socket.getInputStream());
                answer.answer(socket);
            } catch (IOException e) {
                // the test closed the server, or the client went away
            }
        }, "raw-http");
        thread.setDaemon(true);
        thread.start();
        return raw;
    }

    /** What a raw server does with a connection. */
    @FunctionalInterface
    interface RawAnswer {
        void answer(Socket socket) throws IOException;
    }

    /** Sends nothing more until the client gives up and closes the connection (30 s at most). */
    static void stall(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        while (socket.getInputStream().read() >= 0) {
            // whatever the client still sends is ignored
        }
    }

    private static void readHeaders(InputStream in) throws IOException {
        byte[] end = { '\r', '\n', '\r', '\n' };
        int matched = 0;
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    static List<Path> filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
