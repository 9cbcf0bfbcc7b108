package io.duckload.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Samples a process's resident set size from /proc every 50 ms and keeps the peak. */
final class RssSampler {

    private final long pid;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile double peakMb;

    private RssSampler(long pid) {
        this.pid = pid;
        this.thread = new Thread(this::sample, "rss-sampler");
        this.thread.setDaemon(true);
    }

    static RssSampler start(long pid) {
        RssSampler sampler = new RssSampler(pid);
        sampler.thread.start();
        return sampler;
    }

    double currentMb() {
        return field("VmRSS");
    }

    double stopAndPeakMb() throws InterruptedException {
        running = false;
        thread.join();
        return Math.max(peakMb, field("VmHWM"));
    }

    private void sample() {
        while (running) {
            peakMb = Math.max(peakMb, currentMb());
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private double field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
