package io.duckload.source;

import static io.duckload.source.SourceTestSupport.assertFetchFails;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.duckload.failure.ErrorCode;

/** The S3 source against the current generation of s3proxy, plus what a GET puts on the wire. */
class S3SourceOnS3Proxy4Test extends S3SourceTest {

    @Override
    String s3proxyVersion() {
        return S3Proxy.CURRENT;
    }

    /**
     * With the defaults a GET carries no checksum header or trailer, nor asks for a checksummed answer: what a
     * store of any generation understands. Seen by a server that records the headers and answers 404.
     */
    @Test
    void aGetSendsNoChecksumHeaders() throws IOException {
        List<Map<String, List<String>>> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                seen.add(Map.copyOf(exchange.getRequestHeaders()));
                exchange.sendResponseHeaders(404, -1);
            }
        });
        server.start();
        SourceFetcher recorded = fetcherAt("http://127.0.0.1:" + server.getAddress().getPort());
        try {
            assertFetchFails(recorded, "s3://trips/2023/zones.csv", ErrorCode.SOURCE_NOT_FOUND, staging());
        } finally {
            recorded.close();
            server.stop(0);
        }

        assertThat(seen).hasSize(1);
        List<String> names = seen.get(0).keySet().stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
        assertThat(names).contains("authorization").noneMatch(name -> name.startsWith("x-amz-checksum")
                || name.startsWith("x-amz-sdk-checksum") || name.equals("x-amz-trailer")
                || name.equals("x-amz-decoded-content-length"));
    }
}
