package io.duckload.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes docs/benchmarks.md (the table, what each figure measures and shows) and its chart. What follows
 * {@link #NOTES} in the existing file (earlier runs, measurement notes written by hand) is kept below the new run.
 */
final class BenchDocs {

    static final String NOTES = "<!-- bin/benchmark rewrites what is above this line and keeps what is below -->";

    private BenchDocs() {
    }

    static void write(Results results, Path docs) throws IOException {
        Files.createDirectories(docs);
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        results.settings.forEach((holdFile, setting) -> {
            labels.add("direct JDBC (" + holdFile + " run)");
            values.add(setting.month.directStats().median());
            labels.add("duckload end to end, " + holdFile);
            values.add(setting.month.serviceStats().median());
            labels.add("duckload inside, " + holdFile);
            values.add(setting.month.insideStats().median());
        });
        results.growth.forEach((months, rounds) -> {
            labels.add("direct, " + months + " month(s) in table");
            values.add(rounds.directStats().median());
            labels.add("duckload, " + months + " month(s) in table");
            values.add(rounds.serviceStats().median());
        });
        Files.writeString(docs.resolve("benchmarks.svg"), Chart.bars(String.format(
                "(a) %,d-row month and (f) %,d-row month by table size, median ms (lower is better)",
                results.monthRows, results.growthRows), labels, values));
        String table = results.table();
        Path page = docs.resolve("benchmarks.md");
        String existing = Files.exists(page) ? Files.readString(page) : "";
        String notes = existing.contains(NOTES) ? "\n" + existing.substring(existing.indexOf(NOTES)) : "";
        Files.writeString(page, """
                # Benchmarks

                Produced by `bin/benchmark` (source: `src/test/java/io/duckload/bench/`) on %s, on this
                project's 2-core machine, which other builds share: absolute times move from run to run, so compare
                ratios, each against the baseline measured in the same run (interleaved round by round where the
                scenario allows). The service runs through `bin/duckload`, the launcher the README and the image
                use, with its JVM defaults. A figure that misses its target is marked **MISSED**. Load average (1, 5, 15
                minutes) when this run started: %s; when it ended: %s.

                %s
                %s

                ![month load](benchmarks.svg)

                - (a) "end to end" is from producing the PartitionRequested to receiving the
                  PartitionMaterialized. "inside" is the service's `duckload_load_duration_seconds` timer for that
                  load: from the start of fetching until the commit returned (ledger and outbox rows and the
                  commit included). The event's own `durationMs` stops just before those, as the event is stored
                  in the same transaction. The baseline runs the example's own statements (delete the month,
                  `INSERT … SELECT` from the parquet file, commit) over DuckDB JDBC in the benchmark's JVM on a
                  second file. Measured with the default `duckload.writer.hold-file=while-busy` (the file is
                  closed when the writer is idle, so dbt can open it) and with `always` beside it; the targets
                  apply to the default. The first round warms up and is not counted; it is also the first request
                  after the service's start, and what it waits outside the load (end to end minus inside) is
                  printed, as a start-up cost users see (with SmallRye's default 1 s poll it was about a second).
                - (b) requests are sent one at a time; latency is produce → event received. The baseline is
                  the same delete + insert + commit of one tiny partition done directly.
                - (c) twelve 300,000-row months served by a local HTTP server; the baseline downloads a month,
                  loads it, then the next (one Dagster run per partition); the service gets one backfill request,
                  fetches up to 4 sources at once while its single writer loads what is staged. Time is from the
                  request to the twelfth event. With a limit per connection (a server that caps each download)
                  the speedup shows mostly parallel fetching: four downloads get four times the bandwidth. With
                  one limit shared by all connections (a saturated link) parallel fetches gain nothing, so the
                  speedup shows only the overlap of fetching with loading, which cannot exceed (fetch + load) /
                  max(fetch, load) of the baseline's own split; the target is 90%% of that bound. The service
                  still fetches 4 sources at once there, which splits the link four ways: its first month is
                  staged only when four are, and the last four loads follow the end of all fetching, so at best
                  it takes the fetching plus about four loads where the bound assumes the fetching plus one.
                - (e) all tiny partitions requested at once; time from the first request produced to the last
                  event received. The requests are sent back to back and flushed once (their production time
                  is tabled); until 2026-12-06 each send waited for the broker's acknowledgement, so the burst
                  arrived at the pace of 1,000 round trips and that pace was part of the service's time.
                  The baseline replaces the same partitions directly, one transaction each.
                  Each side runs the burst twice and the second is held to the target, as (a) has a warm-up
                  round: during the first, the service's JIT compiles the paths of big group commits (a fifth
                  of its CPU in that burst, measured with perf), which (a) and (b) never take. Both are tabled.
                - (d) RSS of the service process with the default setting (VmRSS): idle is read once the
                  service was left alone for %d s after it was ready (`-Dbench.idle-seconds`), peak is the
                  highest of samples every 50 ms from then until the end of (a); the targets are issue 11's
                  footprint targets.
                - (f) one month replaced, directly and through the service (default setting), in tables that
                  already hold 1, 12 and 24 months of %,d rows (the issue's own figure, 565 → 616 ms direct,
                  used 3,000,000-row months; `-Dbench.growth-rows` sets it). Each size is its own table in one
                  file (in the service, its own copy of `taxi_trips`, checks included), so that the three sizes are
                  measured interleaved round by round: measured one size after the other, drift on the shared
                  machine moved times more than the growth itself. The file is therefore the same for the three;
                  what differs is the table. The months are written by DuckDB in the benchmark's JVM before the
                  service starts, into the tables the service creates, in month order; the replaced month is the
                  first; the direct file is a copy of the service's taken before it starts. Target: the service's
                  24-month replace within 1.2× of its 1-month replace.
                """.formatted(LocalDate.now(), results.loadAtStart, results.loadAtEnd, table,
                        results.missed.isEmpty() ? "Every target met."
                        : "Missed: " + String.join(", ", results.missed) + ".", LoadBenchmark.IDLE_SECONDS,
                        results.growthRows) + notes);
    }
}
