package io.duckload.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Serves the files of a directory over HTTP on 127.0.0.1, and can hold every download at its start until the test
 * lets it go: a fetch the test controls, so that what happens while a load is under way is not left to timing.
 */
public final class GatedFileServer implements AutoCloseable {

    private static final CountDownLatch OPEN = new CountDownLatch(0);

    private final HttpServer server;
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(OPEN);
    private final AtomicInteger arrived = new AtomicInteger();

    public GatedFileServer(Path root) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "gated-file-server");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", exchange -> {
            arrived.incrementAndGet();
            try {
                // Bounded, so a test that forgets to release cannot hang the service past its own timeouts.
                gate.get().await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Path file = servedFile(root, exchange);
            if (file == null) {
                return;
            }
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = exchange.getResponseBody()) {
                Files.copy(file, out);
            }
        });
        server.start();
    }

    /** The file under {@code root} the exchange asks for, or null once it was answered 404. */
    public static Path servedFile(Path root, HttpExchange exchange) throws IOException {
        Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return null;
        }
        return file;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Downloads that start from now on wait until {@link #release()}. */
    public void hold() {
        gate.set(new CountDownLatch(1));
    }

    /** Lets every held download go on, and those that come later. */
    public void release() {
        gate.getAndSet(OPEN).countDown();
    }

    /** How many downloads were asked for so far, held or not. */
    public int arrived() {
        return arrived.get();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
