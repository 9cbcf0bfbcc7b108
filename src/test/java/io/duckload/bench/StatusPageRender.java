package io.duckload.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import io.duckload.testing.Browser;
import io.duckload.testing.KafkaBroker;
import io.duckload.testing.ServiceProcess;

/**
 * How long the status page takes to draw ten years of daily partitions (issue 33's target: under a second
 * headless): {@code bench.page-days} (3,650) tiny partitions loaded through the packaged service, then the page
 * opened in headless Chromium, a warm-up and {@code bench.page-rounds} (5) measured loads, each from navigation
 * start to the page's "drawn" mark. Also the bytes of the summary the page fetches, against the full list. Run by
 * {@code bin/benchmark}; needs Debian's chromium and chromium-driver.
 */
public final class StatusPageRender {

    static final LocalDate START = LocalDate.of(2016, 1, 1);

    private StatusPageRender() {
    }

    public static void main(String[] args) throws Exception {
        int days = Integer.getInteger("bench.page-days", 3650);
        int rounds = Integer.getInteger("bench.page-rounds", 5);
        if (!Browser.available()) {
            System.out.println("status page: skipped, needs " + Browser.CHROMIUM + " and " + Browser.DRIVER);
            return;
        }
        Path work = ServiceProcess.buildDir().resolve("bench-page").toAbsolutePath();
        TinyPartitions.write(work.resolve("tiny"), START, days);
        try (KafkaBroker broker = KafkaBroker.start(); RawKafka kafka = new RawKafka(broker.bootstrapServers())) {
            Path config = Files.writeString(work.resolve("page.properties"),
                    TinyPartitions.datasetConfig(work.resolve("tiny"), START, days));
            Path database = work.resolve("page.duckdb");
            Files.deleteIfExists(database);
            try (ServiceProcess service = new Launcher(broker.bootstrapServers(), work, config)
                    .start("while-busy", database, work.resolve("sources"), "page.log")) {
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < days; i++) {
                    keys.add(START.plusDays(i).toString());
                }
                for (String requestId : kafka.sendAll("bench_tiny", keys).requestIds()) {
                    kafka.awaitArrival(requestId, Duration.ofMinutes(5));
                }
                int summary = service.get("/datasets/bench_tiny/summary").body().length();
                int full = service.get("/datasets/bench_tiny/partitions").body().length();
                List<Long> drawn = draw("http://127.0.0.1:" + service.port() + "/", rounds, work);
                System.out.printf("status page, %,d daily partitions: drawn %s ms after navigation start (median %d ms,"
                        + " target < 1000 ms); summary %,d bytes (full list %,d bytes); screenshot %s%n", days,
                        drawn, drawn.stream().sorted().toList().get(drawn.size() / 2), summary, full,
                        work.resolve("page.png"));
                service.stop();
            }
        }
    }

    /** A warm-up load, then {@code rounds} measured ones. */
    private static List<Long> draw(String url, int rounds, Path work) {
        List<Long> drawn = new ArrayList<>();
        try (Browser browser = new Browser(1280, 900)) {
            browser.open(url);
            browser.screenshot(work.resolve("page.png"), "section[data-dataset='bench_tiny']");
            for (int i = 0; i < rounds; i++) {
                drawn.add(Long.parseLong((String) browser.open(url).script("return document.body.dataset.renderedMs")));
            }
        }
        return drawn;
    }
}
