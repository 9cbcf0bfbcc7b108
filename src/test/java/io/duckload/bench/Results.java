package io.duckload.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything measured in one run, and the table that reports it, each figure against its target. */
final class Results {

    static final String DEFAULT_HOLD_FILE = "while-busy";
    /** The phase that runs the native executable (with the default hold-file), beside the JVM's in the same run. */
    static final String NATIVE = "native " + DEFAULT_HOLD_FILE;
    static final String MISSED = " **MISSED**";

    final long monthRows;
    final int tinyCount;
    final long growthRows;
    /** Per setting of duckload.writer.hold-file, the default first: (a) and (e). */
    final Map<String, Setting> settings = new LinkedHashMap<>();
    final List<Double> directTinyMs = new ArrayList<>();
    final List<Double> tinyLatencyMs = new ArrayList<>();
    double tinySeconds;
    long backfillRate;
    Backfill.Sequential perConnectionBaseline;
    double perConnectionServiceMs;
    Backfill.Sequential sharedBaseline;
    double sharedServiceMs;
    double idleRssMb;
    double peakRssMb;
    Map<Integer, MonthRounds> growth = Map.of();
    /** The machine's load average (1, 5, 15 minutes) when the run started and when it ended. */
    String loadAtStart = loadAverage();
    String loadAtEnd;
    /** The figures that missed their targets, filled by {@link #table()}. */
    final List<String> missed = new ArrayList<>();

    /** What one setting of hold-file measured: (a) and (e). */
    static final class Setting {
        MonthRounds month;
        double directBurstSeconds;
        double burstSeconds;
        /** How long producing the second burst's requests took, from the first send to the broker's last ack. */
        double burstProducedSeconds;
        double coldDirectBurstSeconds;
        double coldBurstSeconds;
        /** RSS after the start settled, peak during (a), and 15 s after (a) and the bursts (the native phase's). */
        double idleMb;
        double peakMb;
        double afterLoadsMb;
    }

    Results(long monthRows, int tinyCount, long growthRows) {
        this.monthRows = monthRows;
        this.tinyCount = tinyCount;
        this.growthRows = growthRows;
    }

    Setting setting(String holdFile) {
        return settings.computeIfAbsent(holdFile, key -> new Setting());
    }

    String table() {
        missed.clear();
        StringBuilder out = new StringBuilder();
        out.append("| measure | baseline (same run) | duckload | ratio / margin | target |\n");
        out.append("|---|---|---|---|---|\n");
        settings.forEach((holdFile, setting) -> out.append(month(holdFile, setting.month)));
        Stats commit = Stats.of(directTinyMs);
        Stats tiny = Stats.of(tinyLatencyMs);
        double margin = tiny.percentile(99) - commit.percentile(99);
        out.append(String.format("| (b) %d tiny partitions, sequential | direct commit p50 %.1f ms, p99 %.1f ms"
                + " | p50 %.1f ms, p99 %.1f ms; %.0f partitions/s | p99 %+.1f ms over commit p99%s | < 50 ms |%n",
                tinyCount, commit.median(), commit.percentile(99), tiny.median(), tiny.percentile(99),
                tinyCount / tinySeconds, margin, mark("(b)", margin < 50)));
        double perConnection = perConnectionBaseline.totalMs() / perConnectionServiceMs;
        out.append(String.format("| (c) 12-month backfill, HTTP limited to %.1f MB/s per connection | one at a"
                + " time, fetch then load: %.1f s | pipelined through the service: %.1f s | %.2f× speedup%s"
                + " | ≥ 1.8× |%n", backfillRate / 1e6, perConnectionBaseline.totalMs() / 1000,
                perConnectionServiceMs / 1000, perConnection, mark("(c) per connection", perConnection >= 1.8)));
        double shared = sharedBaseline.totalMs() / sharedServiceMs;
        double bound = sharedBaseline.overlapBound();
        out.append(String.format("| (c) the same, %.1f MB/s shared by all connections | one at a time: %.1f s"
                + " (fetching %.1f s, loading %.1f s: overlap bound %.2f×) | pipelined: %.1f s | %.2f× speedup,"
                + " %.0f%% of the bound%s | ≥ 90%% of the bound |%n", backfillRate / 1e6, sharedBaseline.totalMs()
                / 1000, sharedBaseline.fetchMs() / 1000, sharedBaseline.loadMs() / 1000, bound, sharedServiceMs
                / 1000, shared, 100 * shared / bound, mark("(c) shared", shared >= 0.9 * bound)));
        settings.forEach((holdFile, setting) -> out.append(burst(holdFile, setting)));
        out.append(String.format("| (d) service RSS | | idle %.0f MB%s, peak %.0f MB during (a)%s | | idle < 150 MB,"
                + " peak < 300 MB |%n", idleRssMb, mark("(d) idle RSS", idleRssMb < 150), peakRssMb,
                mark("(d) peak RSS", peakRssMb < 300)));
        Setting nativeRun = settings.get(NATIVE);
        if (nativeRun != null) {
            out.append(String.format("| (d) native RSS | JVM: idle %.0f MB, peak %.0f MB | idle %.0f MB%s, peak %.0f MB"
                    + " during (a)%s, %.0f MB 15 s after (a) and the bursts%s | | idle < 80 MB, peak < 250 MB,"
                    + " after loads < 150 MB |%n", idleRssMb, peakRssMb, nativeRun.idleMb,
                    mark("(d) native idle RSS", nativeRun.idleMb < 80), nativeRun.peakMb,
                    mark("(d) native peak RSS", nativeRun.peakMb < 250), nativeRun.afterLoadsMb,
                    mark("(d) native RSS after loads", nativeRun.afterLoadsMb < 150)));
        }
        out.append(growth());
        return out.toString();
    }

    /** Whether a phase's (a) and (e) are held to their targets: the default hold-file's, on the JVM and native. */
    static boolean heldToTargets(String phase) {
        return phase.equals(DEFAULT_HOLD_FILE) || phase.equals(NATIVE);
    }

    private static String label(String phase) {
        return phase.equals(NATIVE) ? "native executable, hold-file=" + DEFAULT_HOLD_FILE : "hold-file=" + phase;
    }

    private String month(String holdFile, MonthRounds month) {
        boolean byDefault = heldToTargets(holdFile);
        double ratio = month.serviceStats().median() / month.directStats().median();
        // The warm-up round is the first request after the start: what it waits outside the load is not warm-up.
        MonthRounds.WarmUp first = month.warmUp().get(0);
        return String.format("| (a) %,d-row month, median of %d, %s | direct JDBC %.0f ms | %.0f ms end"
                + " to end (%.0f ms inside); first request after the start %.0f ms (%.0f ms outside the load) |"
                + " %.2f×%s | %s |%n", monthRows, month.service().size(), label(holdFile), month.directStats().median(),
                month.serviceStats().median(), month.insideStats().median(), first.service(),
                first.outside(), ratio, byDefault ? mark("(a) " + holdFile, ratio <= 1.10) : "",
                byDefault ? "≤ 1.10×" : "(default's only)");
    }

    private String burst(String holdFile, Setting setting) {
        boolean byDefault = heldToTargets(holdFile);
        double ratio = setting.burstSeconds / setting.directBurstSeconds;
        return String.format("| (e) %d tiny partitions requested at once, first request → last event,"
                + " %s, second burst (warm-up burst: direct %.2f s, service %.2f s, %.2f×)"
                + " | direct, one commit each: %.2f s (%.0f/s) | %.2f s (%.0f/s; requests produced in %.0f ms)"
                + " | %.2f×%s | %s |%n",
                tinyCount, label(holdFile), setting.coldDirectBurstSeconds, setting.coldBurstSeconds,
                setting.coldBurstSeconds / setting.coldDirectBurstSeconds,
                setting.directBurstSeconds, tinyCount / setting.directBurstSeconds,
                setting.burstSeconds, tinyCount / setting.burstSeconds, setting.burstProducedSeconds * 1000, ratio,
                byDefault ? mark("(e) " + holdFile, ratio <= 1.0) : "", byDefault ? "≤ 1.0×" : "(default's only)");
    }

    private String growth() {
        if (growth.isEmpty()) {
            return "";
        }
        List<String> direct = new ArrayList<>();
        List<String> service = new ArrayList<>();
        growth.forEach((months, rounds) -> {
            direct.add(String.format("%.0f", rounds.directStats().median()));
            service.add(String.format("%.0f (%.0f)", rounds.serviceStats().median(), rounds.insideStats().median()));
        });
        MonthRounds first = growth.values().iterator().next();
        int lastMonths = growth.keySet().stream().reduce((a, b) -> b).orElseThrow();
        MonthRounds last = growth.get(lastMonths);
        double directRatio = last.directStats().median() / first.directStats().median();
        double serviceRatio = last.serviceStats().median() / first.serviceStats().median();
        double insideRatio = last.insideStats().median() / first.insideStats().median();
        return String.format("| (f) %,d-row month replaced with %s months in the table, medians | direct %s ms"
                + " (%d/1: %.2f×) | %s ms end to end (inside) | %d/1: %.2f× end to end%s, %.2f× inside | ≤ 1.2× |%n",
                growthRows, String.join(" / ", growth.keySet().stream().map(String::valueOf).toList()),
                String.join(" / ", direct), lastMonths, directRatio, String.join(" / ", service), lastMonths,
                serviceRatio, mark("(f) growth", serviceRatio <= 1.2), insideRatio);
    }

    private String mark(String figure, boolean met) {
        if (met) {
            return "";
        }
        missed.add(figure);
        return MISSED;
    }

    /** The first three fields of /proc/loadavg: how busy the shared machine was (2 cores). */
    static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    void print() {
        loadAtEnd = loadAverage();
        System.out.printf("%nLoad average (1, 5, 15 min) at the start: %s; at the end: %s%n", loadAtStart, loadAtEnd);
        System.out.print(table());
        System.out.println(missed.isEmpty() ? "Every target met." : "MISSED: " + String.join(", ", missed));
    }
}
