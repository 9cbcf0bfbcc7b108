package io.duckload.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

import io.duckload.testing.GatedFileServer;

/**
 * Serves the files of a directory over HTTP on 127.0.0.1 at a capped rate, like a WAN link to a public bucket:
 * either per connection (a server that limits each download, so parallel fetches add up) or, after
 * {@link #shareBandwidth}, one limit for all connections together (a saturated link, so they do not).
 */
final class ThrottledFileServer implements AutoCloseable {

    /**
     * Both limits are token buckets holding this much time's worth of bytes: a sender thread that the busy machine
     * held up may catch up that much, in either mode alike, so that neither is slowed by scheduling more than the
     * other (without it one connection got less than the rate under a shared limit when the machine was loaded).
     */
    private static final long BURST_NANOS = 250_000_000L;

    private final HttpServer server;
    private final Object bucket = new Object();
    private volatile boolean shared;
    /** With a shared limit: when the link is free for the next chunk, whichever connection sends it. */
    private long linkFreeAt;

    ThrottledFileServer(Path root, long bytesPerSecond) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            Path file = GatedFileServer.servedFile(root, exchange);
            if (file == null) {
                return;
            }
            exchange.sendResponseHeaders(200, Files.size(file));
            byte[] chunk = new byte[16 * 1024];
            long nanosPerChunk = chunk.length * 1_000_000_000L / bytesPerSecond;
            try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                long next = System.nanoTime() - BURST_NANOS;
                for (int n; (n = in.read(chunk)) > 0;) {
                    out.write(chunk, 0, n);
                    next = shared ? reserve(nanosPerChunk) : Math.max(next, System.nanoTime() - BURST_NANOS)
                            + nanosPerChunk;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        // The throttle itself: this server stands in for a slow link.
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    /** One limit for all connections together (true) or one per connection (false, the default). */
    void shareBandwidth(boolean shared) {
        this.shared = shared;
    }

    /** Books the shared link for one chunk; returns when that chunk has been sent at the capped rate. */
    private long reserve(long nanosPerChunk) {
        synchronized (bucket) {
            linkFreeAt = Math.max(linkFreeAt, System.nanoTime() - BURST_NANOS) + nanosPerChunk;
            return linkFreeAt;
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
