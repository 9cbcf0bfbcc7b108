package io.duckload.source;

import static io.duckload.source.SourceTestSupport.assertFetchFails;
import static io.duckload.source.SourceTestSupport.assertStaged;
import static io.duckload.source.SourceTestSupport.config;
import static io.duckload.source.SourceTestSupport.freePort;
import static io.duckload.source.SourceTestSupport.md5;
import static io.duckload.source.SourceTestSupport.rawServer;
import static io.duckload.source.SourceTestSupport.rowsOf;
import static io.duckload.source.SourceTestSupport.stall;
import static io.duckload.source.SourceTestSupport.zonesCsv;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.LoadMode;
import io.duckload.catalog.Partition;
import io.duckload.catalog.SourceFormat;
import io.duckload.catalog.Template;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * s3:// sources against s3proxy, a real S3-compatible server on 127.0.0.1 (see {@link S3Proxy}), reached through a
 * custom endpoint with path-style access; credentials come from the SDK's default chain (system properties here).
 * The objects are uploaded through the S3 API, so s3proxy gives them their ETag (the MD5 of their bytes). Run once
 * per generation of s3proxy by its subclasses, with duckload's default settings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class S3SourceTest {

    private static final byte[] CSV = "zone_id,zone\n1,Newark Airport\n2,Jamaica Bay\n3,Allerton\n"
            .getBytes(StandardCharsets.US_ASCII);
    /** Keys of the default credential chain set by each test; cleared after it. */
    private static final Map<String, String> CHAIN = Map.of("aws.accessKeyId", S3Proxy.IDENTITY,
            "aws.secretAccessKey", S3Proxy.CREDENTIAL);

    @TempDir
    static Path root;
    private S3Proxy proxy;

    @TempDir
    Path dir;
    private Path staging;
    private SourceFetcher fetcher;

    /** The version of s3proxy (org.gaul:s3proxy on Maven Central) this run is against. */
    abstract String s3proxyVersion();

    @BeforeAll
    void startS3() throws Exception {
        proxy = S3Proxy.start(s3proxyVersion(), Files.createDirectories(root.resolve("buckets")));
        // Checksums only when required, as duckload does: s3proxy 2.x refuses the SDK's default checksum headers.
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(proxy.endpoint())).region(Region.US_EAST_1)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Proxy.IDENTITY, S3Proxy.CREDENTIAL)))
                .build()) {
            s3.createBucket(b -> b.bucket("trips"));
            s3.createBucket(b -> b.bucket("empty"));
            s3.putObject(o -> o.bucket("trips").key("2023/zones.csv"), RequestBody.fromBytes(CSV));
            s3.putObject(o -> o.bucket("trips").key("2023/zones_2023-03.csv.gz"),
                    RequestBody.fromFile(zonesCsv(root.resolve("zones_2023-03.csv.gz"), 263)));
        }
    }

    @AfterAll
    void stopS3() throws InterruptedException {
        if (proxy != null) {
            proxy.close();
        }
    }

    @BeforeEach
    void credentials() {
        // Never ask the instance metadata service (an address off this machine), and ignore any ~/.aws files.
        System.setProperty("aws.disableEc2Metadata", "true");
        System.setProperty("aws.sharedCredentialsFile", dir.resolve("no-credentials").toString());
        System.setProperty("aws.configFile", dir.resolve("no-config").toString());
        CHAIN.forEach(System::setProperty);
        staging = dir.resolve("staging");
        fetcher = fetcher();
    }

    @AfterEach
    void forget() {
        fetcher.close();
        CHAIN.keySet().forEach(System::clearProperty);
        System.clearProperty("aws.sharedCredentialsFile");
        System.clearProperty("aws.configFile");
        System.clearProperty("aws.disableEc2Metadata");
    }

    @Test
    void anObjectIsStreamedIntoStagingWithItsSizeSha256AndEtag() throws IOException {
        StagedSource source = fetcher.fetch("s3://trips/2023/zones.csv", SourceFormat.CSV, "load-1");

        assertStaged(source, CSV, staging);
        assertThat(source.uri()).isEqualTo("s3://trips/2023/zones.csv");
        assertThat(source.etag()).isEqualTo("\"" + md5(CSV) + "\"");
        assertThat(source.file().getFileName()).hasToString("load-1-zones.csv");
        assertThat(rowsOf(source)).isEqualTo(3);
    }

    @Test
    void aPartitionsGzippedCsvIsResolvedFetchedAndReadByDuckDb() throws IOException {
        Dataset zones = new Dataset("zones", "zones", Optional.of("zone_id integer, zone varchar"),
                LoadMode.REPLACE_PARTITION, Optional.empty(),
                Template.parse("source", "s3://trips/{YYYY}/zones_{YYYY-MM}.csv.gz", Set.of("YYYY", "YYYY-MM")),
                Optional.empty(), Optional.empty(), Template.parse("select", "select * from {source}",
                        Set.of("source")));
        Partition march = new Partition("2023-03-01", LocalDate.of(2023, 3, 1), LocalDate.of(2023, 4, 1), "2023-03");

        StagedSource source = fetcher.fetch(zones, Optional.of(march), "load-1");

        byte[] expected = Files.readAllBytes(root.resolve("zones_2023-03.csv.gz"));
        assertStaged(source, expected, staging);
        assertThat(source.uri()).isEqualTo("s3://trips/2023/zones_2023-03.csv.gz");
        assertThat(source.file().getFileName()).hasToString("load-1-zones_2023-03.csv.gz");
        assertThat(rowsOf(source)).isEqualTo(263);
    }

    @ParameterizedTest
    @ValueSource(strings = { "s3://trips/2023/zones_2099-01.csv", "s3://no-such-bucket/zones.csv",
            "s3://empty/zones.csv", "s3://trips", "s3://trips/" })
    void aMissingObjectIsSourceNotFound(String location) throws IOException {
        var failure = fails(location, ErrorCode.SOURCE_NOT_FOUND);
        assertThat(failure.getMessage()).contains(location);
    }

    @ParameterizedTest
    @ValueSource(strings = { "aws.secretAccessKey", "aws.accessKeyId" })
    void wrongCredentialsAreSourceForbidden(String wrong) throws IOException {
        System.setProperty(wrong, "not-the-right-one");

        var failure = fails("s3://trips/2023/zones.csv", ErrorCode.SOURCE_FORBIDDEN);
        assertThat(failure.getMessage()).contains("HTTP 403");
    }

    @Test
    void noCredentialsAtAllIsSourceForbidden() throws IOException {
        CHAIN.keySet().forEach(System::clearProperty);

        var failure = fails("s3://trips/2023/zones.csv", ErrorCode.SOURCE_FORBIDDEN);
        assertThat(failure.getMessage()).startsWith("no AWS credentials");
    }

    @Test
    void anEndpointThatIsDownIsSourceUnreachable() throws IOException {
        SourceFetcher down = fetcherAt("http://127.0.0.1:" + freePort());
        try {
            var failure = assertFetchFails(down, "s3://trips/2023/zones.csv", ErrorCode.SOURCE_UNREACHABLE, staging);
            assertThat(failure.code().isTransient()).isTrue();
        } finally {
            down.close();
        }
    }

    @Test
    void anObjectWhoseBodyStallsTimesOutAfterTheReadTimeout() throws Exception {
        try (ServerSocket raw = rawServer(socket -> {
            socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nETag: \"x\"\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            stall(socket);
        })) {
            SourceFetcher stalling = fetcherAt("http://127.0.0.1:" + raw.getLocalPort());
            long started = System.nanoTime();
            try {
                assertThat(assertFetchFails(stalling, "s3://trips/2023/zones.csv", ErrorCode.SOURCE_UNREACHABLE,
                        staging).getMessage()).containsIgnoringCase("timed out");
            } finally {
                stalling.close();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(1),
                    Duration.ofSeconds(4));
        }
    }

    /** Fetches {@code location}, which must fail with {@code code} and leave staging empty. */
    private LoadException fails(String location, ErrorCode code) throws IOException {
        return assertFetchFails(fetcher, location, code, staging);
    }

    /** A fetcher of s3proxy's objects with duckload's defaults and {@code properties} on top. */
    SourceFetcher fetcher(String... properties) {
        return fetcherAt(proxy.endpoint(), properties);
    }

    Path staging() {
        return staging;
    }

    SourceFetcher fetcherAt(String endpoint, String... properties) {
        List<String> all = new ArrayList<>(List.of("duckload.s3.endpoint", endpoint, "duckload.s3.region",
                "us-east-1", "duckload.s3.path-style-access", "true", "duckload.http.connect-timeout", "PT2S",
                "duckload.http.read-timeout", "PT1S"));
        all.addAll(List.of(properties));
        return new SourceFetcher(config(staging, all.toArray(String[]::new)));
    }
}
