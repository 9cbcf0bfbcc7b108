package io.duckload.ingest;

import static io.duckload.testing.FixedJitter.HIGHEST;
import static io.duckload.testing.FixedJitter.LOWEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.LoadMode;
import io.duckload.catalog.Partition;
import io.duckload.catalog.SourceFormat;
import io.duckload.catalog.Template;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;
import io.duckload.source.StagedSource;
import io.duckload.testing.DefaultConfig;
import io.duckload.testing.RecordingPause;
import io.duckload.warehouse.LoadJob;

/**
 * LoadService's retry loop without a broker or a file: the fetch and the commit are scripted to fail with a code, a
 * recording pause takes the waits without sleeping and fixes their jitter, so each wait is pinned to the configured
 * retry policy (PT0.5S doubling up to PT30S, four attempts by default), and a permanent failure is answered at once.
 */
class LoadServiceRetryTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path staging;
    /** The codes the first fetches fail with, in order; once none is left, a fetch stages the source. */
    private final Queue<ErrorCode> fetches = new ArrayDeque<>();
    /** The codes the first commits fail with, in order; once none is left, a commit succeeds. */
    private final Queue<ErrorCode> commits = new ArrayDeque<>();
    private final List<Path> staged = new ArrayList<>();
    private final List<String> answers = new ArrayList<>();
    private int fetched;

    @Test
    void anUnreachableSourceIsFetchedAgainAfterHalfOneAndTwoSecondsAndTheFourthAttemptLoads() {
        script(fetches, ErrorCode.SOURCE_UNREACHABLE, ErrorCode.SOURCE_UNREACHABLE, ErrorCode.SOURCE_UNREACHABLE);
        RecordingPause pause = RecordingPause.instant(HIGHEST);

        service(DefaultConfig.of(staging.resolve("unused.duckdb")), pause).load(List.of(request()));

        assertThat(pause.millis()).containsExactly(500L, 1000L, 2000L);
        assertThat(fetched).as("attempts").isEqualTo(4);
        assertThat(answers).containsExactly("loaded");
    }

    @Test
    void aSourceStillUnreachableAtTheFourthAttemptIsAnsweredWithItsCodeAfterThreeWaits() {
        script(fetches, ErrorCode.SOURCE_UNREACHABLE, ErrorCode.SOURCE_UNREACHABLE, ErrorCode.SOURCE_UNREACHABLE,
                ErrorCode.SOURCE_UNREACHABLE);
        RecordingPause pause = RecordingPause.instant(LOWEST);

        service(DefaultConfig.of(staging.resolve("unused.duckdb")), pause).load(List.of(request()));

        // The lowest jitter: each wait is half its interval of 500, 1000, 2000 ms.
        assertThat(pause.millis()).containsExactly(250L, 500L, 1000L);
        assertThat(fetched).as("attempts").isEqualTo(4);
        assertThat(answers).containsExactly("failed SOURCE_UNREACHABLE after 4 attempts");
    }

    @Test
    void aFullDiskIsTriedAgainWithTheFetchRepeatedAndEachStagedCopyDiscarded() {
        script(commits, ErrorCode.DATABASE_FULL, ErrorCode.DATABASE_FULL);
        RecordingPause pause = RecordingPause.instant(HIGHEST);

        service(DefaultConfig.of(staging.resolve("unused.duckdb")), pause).load(List.of(request()));

        assertThat(pause.millis()).containsExactly(500L, 1000L);
        assertThat(fetched).as("attempts").isEqualTo(3);
        assertThat(staged).hasSize(3).noneMatch(Files::exists);
        assertThat(answers).containsExactly("loaded");
    }

    @Test
    void theSettingsGiveTheAttemptsAndTheLongestWait() {
        script(fetches, ErrorCode.DATABASE_UNAVAILABLE, ErrorCode.DATABASE_UNAVAILABLE,
                ErrorCode.DATABASE_UNAVAILABLE, ErrorCode.DATABASE_UNAVAILABLE, ErrorCode.DATABASE_UNAVAILABLE,
                ErrorCode.DATABASE_UNAVAILABLE);
        RecordingPause pause = RecordingPause.instant(HIGHEST);
        DuckloadConfig tuned = DefaultConfig.of(staging.resolve("unused.duckdb"), "duckload.retry.max-attempts",
                "6", "duckload.retry.initial-backoff", "PT0.1S", "duckload.retry.max-backoff", "PT0.3S");

        service(tuned, pause).load(List.of(request()));

        assertThat(pause.millis()).containsExactly(100L, 200L, 300L, 300L, 300L);
        assertThat(answers).containsExactly("failed DATABASE_UNAVAILABLE after 6 attempts");
    }

    @Test
    void aPermanentFailureIsAnsweredAtOnceWithoutAWait() {
        script(fetches, ErrorCode.SOURCE_NOT_FOUND);
        script(commits, ErrorCode.CHECK_FAILED);
        RecordingPause pause = RecordingPause.instant(HIGHEST);

        LoadService service = service(DefaultConfig.of(staging.resolve("unused.duckdb")), pause);
        service.load(List.of(request()));
        service.load(List.of(request()));

        assertThat(pause.waits()).isEmpty();
        assertThat(fetched).as("one attempt each").isEqualTo(2);
        assertThat(answers).containsExactly("failed SOURCE_NOT_FOUND after 1 attempts",
                "failed CHECK_FAILED after 1 attempts");
    }

    @Test
    void eachLoadStartsItsWaitsAgainFromTheFirstInterval() {
        RecordingPause pause = RecordingPause.instant(HIGHEST);
        LoadService service = service(DefaultConfig.of(staging.resolve("unused.duckdb")), pause);

        script(fetches, ErrorCode.SOURCE_UNREACHABLE, ErrorCode.SOURCE_UNREACHABLE);
        service.load(List.of(request()));
        script(fetches, ErrorCode.SOURCE_UNREACHABLE);
        service.load(List.of(request()));

        assertThat(pause.millis()).containsExactly(500L, 1000L, 500L);
        assertThat(answers).containsExactly("loaded", "loaded");
    }

    private static void script(Queue<ErrorCode> steps, ErrorCode... failures) {
        steps.addAll(List.of(failures));
    }

    /** The failure of the next step, or empty once the script's failures are used up. */
    private static Optional<ErrorCode> next(Queue<ErrorCode> steps) {
        return Optional.ofNullable(steps.poll());
    }

    private LoadService service(DuckloadConfig config, RecordingPause pause) {
        SourceStage sources = new SourceStage(null, null, null, config, CLOCK) {
            @Override
            public LoadJob fetch(PlannedLoad first, Instant startedAt) {
                fetched++;
                next(fetches).ifPresent(code -> {
                    throw new LoadException(code, "scripted fetch failure");
                });
                return new LoadJob(UUID.randomUUID().toString(), first.requestId(), first.dataset(),
                        first.partition(), stage(), startedAt);
            }
        };
        GroupCommit commit = new GroupCommit(null, null, null, config) {
            @Override
            public CompletableFuture<LoadCommit.Answers> commit(LoadJob job, List<PlannedLoad> requests) {
                return next(commits).<CompletableFuture<LoadCommit.Answers>>map(code -> CompletableFuture
                        .failedFuture(new LoadException(code, "scripted commit failure")))
                        .orElseGet(() -> CompletableFuture.completedFuture(
                                new LoadCommit.Answers(List.of(), List.of(), Optional.empty(), List.of())));
            }
        };
        Announcer announcer = new Announcer(null, null, null, null, null, null, null) {
            @Override
            public void announce(LoadCommit.Answers committed, PlannedLoad first, Duration took) {
                answers.add("loaded");
            }

            @Override
            public void announceFailure(List<PlannedLoad> open, LoadException e, int attempts, Instant startedAt) {
                answers.add("failed " + e.code() + " after " + attempts + " attempts");
            }
        };
        return new LoadService(sources, commit, announcer, config, pause, CLOCK);
    }

    /** A staged copy of a source, as a download leaves it: the load deletes it after each attempt. */
    private StagedSource stage() {
        try {
            Path file = Files.writeString(staging.resolve("source-" + staged.size() + ".csv"), "id\n1\n");
            staged.add(file);
            return new StagedSource("file://" + file, file, Files.size(file), "0", null, SourceFormat.CSV, true);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PlannedLoad request() {
        Dataset dataset = new Dataset("retried", "retried", Optional.empty(), LoadMode.REPLACE_PARTITION,
                Optional.empty(), Template.parse("source", "/x", Set.of()), Optional.empty(), Optional.empty(),
                Template.parse("select", "select 1", Set.of()));
        Partition partition = new Partition("2023-01-01", LocalDate.parse("2023-01-01"),
                LocalDate.parse("2023-02-01"), "2023-01");
        return new PlannedLoad("retry-" + UUID.randomUUID(), dataset, Optional.of(partition), Optional.empty());
    }
}
