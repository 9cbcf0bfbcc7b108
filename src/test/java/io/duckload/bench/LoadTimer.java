package io.duckload.bench;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.duckload.testing.ServiceProcess;

/**
 * The service's {@code duckload_load_duration_seconds} timer for one dataset, read from {@code /q/metrics}: it runs
 * from the start of fetching until the commit returned, so the growth of its sum over one load is that load's time
 * "inside" the service up to and including the commit (the event's {@code durationMs} stops before the commit).
 */
record LoadTimer(double count, double sumSeconds) {

    private static final String NAME = "duckload_load_duration_seconds";

    static LoadTimer read(ServiceProcess service, String dataset) throws IOException, InterruptedException {
        String text = service.get("/q/metrics").body();
        return new LoadTimer(sample(text, NAME + "_count", dataset), sample(text, NAME + "_sum", dataset));
    }

    /**
     * Milliseconds the next load of {@code dataset} after {@code before} took inside; waits for the timer to move,
     * as the service records it just after the event was acknowledged.
     */
    double awaitNextMs(ServiceProcess service, String dataset) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            LoadTimer now = read(service, dataset);
            if (now.count > count) {
                if (now.count != count + 1) {
                    throw new IllegalStateException("expected one load of " + dataset + ", the timer counted "
                            + (now.count - count));
                }
                return (now.sumSeconds - sumSeconds) * 1000;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the load timer of " + dataset + " did not move");
    }

    private static double sample(String metrics, String name, String dataset) {
        Matcher line = Pattern.compile("(?m)^" + name + "\\{[^}]*dataset=\"" + dataset + "\"[^}]*} ([0-9.eE+-]+)$")
                .matcher(metrics);
        if (!line.find()) {
            throw new IllegalStateException("no " + name + " for " + dataset + " in /q/metrics");
        }
        return Double.parseDouble(line.group(1));
    }
}
