package io.duckload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.agroal.api.AgroalDataSource;
import io.duckload.catalog.Dataset;
import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.LoadMode;
import io.duckload.catalog.Partition;
import io.duckload.catalog.SourceFormat;
import io.duckload.catalog.Template;
import io.duckload.failure.Pause;
import io.duckload.source.StagedSource;
import io.duckload.testing.DefaultConfig;
import io.duckload.testing.DuckDbPool;
import io.duckload.warehouse.LoadJob;
import io.duckload.warehouse.StorageVersion;
import io.duckload.warehouse.Writer;

/**
 * GroupCommit on the real writer and a DuckDB file in a temp directory, the load's own statements left out: four
 * loads that wait for a busy writer share one transaction with group commit on, and with
 * {@code duckload.writer.group-commit=false} each is committed in a transaction of its own, a group of one.
 */
class GroupOfOneTest {

    @TempDir
    Path dir;
    /** How many loads each writer transaction held, in commit order. */
    private final List<Integer> transactions = new CopyOnWriteArrayList<>();
    /** The sizes GroupCommit reported to the metrics ({@link GroupCommitted}). */
    private final List<Integer> reported = new CopyOnWriteArrayList<>();

    @Test
    void withGroupCommitOffEachLoadCommitsInATransactionOfItsOwn() throws Exception {
        loadFourWhileTheWriterIsBusy("false");

        assertThat(transactions).containsExactly(1, 1, 1, 1);
        assertThat(reported).containsExactly(1, 1, 1, 1);
    }

    @Test
    void withGroupCommitOnTheLoadsWaitingForTheWriterShareOneTransaction() throws Exception {
        loadFourWhileTheWriterIsBusy("true");

        assertThat(transactions).containsExactly(4);
        assertThat(reported).containsExactly(4);
    }

    /** Holds the writer in a unit of work while four loads are handed to group commit, then waits for all four. */
    private void loadFourWhileTheWriterIsBusy(String groupCommit) throws Exception {
        Path database = dir.resolve("group-" + groupCommit + ".duckdb");
        DuckloadConfig config = DefaultConfig.of(database, "duckload.writer.group-commit", groupCommit);
        try (AgroalDataSource pool = DuckDbPool.of(database)) {
            Writer writer = new Writer(pool, config, new StorageVersion(config), Pause.real(), Clock.systemUTC());
            GroupCommit groups = new GroupCommit(writer, new CountingCommit(writer), new Recording(),
                    config);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Boolean> busy = writer.run(connection -> {
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            List<CompletableFuture<LoadCommit.Answers>> loads = List.of("2025-01", "2025-02", "2025-03",
                    "2025-04").stream().map(month -> {
                        PlannedLoad request = request(month);
                        return groups.commit(job(request), List.of(request));
                    }).toList();
            release.countDown();
            busy.get(30, TimeUnit.SECONDS);
            CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            // The metric's event is fired on the writer thread once a commit's loads are done: a later unit of the
            // writer runs after it.
            writer.run(connection -> null).get(30, TimeUnit.SECONDS);
        }
    }

    /** The transaction script of a load, its statements left out: counts the loads each transaction holds. */
    private final class CountingCommit extends LoadCommit {

        CountingCommit(Writer writer) {
            super(writer, null, null, null, null);
        }

        @Override
        List<Answers> applyAll(Connection connection, List<Load> loads) throws SQLException {
            transactions.add(loads.size());
            return loads.stream().map(load -> new Answers(List.of(), List.of(), Optional.empty(), List.of()))
                    .toList();
        }

        @Override
        void expectSends(Answers answers) {
            // No events: nothing is sent after these commits.
        }
    }

    /** Records each group size fired to the metrics. */
    private final class Recording implements Event<GroupCommitted> {

        @Override
        public void fire(GroupCommitted group) {
            reported.add(group.loads());
        }

        @Override
        public <U extends GroupCommitted> CompletionStage<U> fireAsync(U event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends GroupCommitted> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Event<GroupCommitted> select(Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends GroupCommitted> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends GroupCommitted> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }

    private static PlannedLoad request(String month) {
        Dataset dataset = new Dataset("grouped", "grouped", Optional.empty(), LoadMode.REPLACE_PARTITION,
                Optional.empty(), Template.parse("source", "/x", Set.of()), Optional.empty(), Optional.empty(),
                Template.parse("select", "select 1", Set.of()));
        LocalDate start = LocalDate.parse(month + "-01");
        return new PlannedLoad("group-" + UUID.randomUUID(), dataset,
                Optional.of(new Partition(start.toString(), start, start.plusMonths(1), month)), Optional.empty());
    }

    private static LoadJob job(PlannedLoad request) {
        StagedSource source = new StagedSource("file:///x", Path.of("/x"), 1024, "0", null, SourceFormat.PARQUET,
                false);
        return new LoadJob(UUID.randomUUID().toString(), request.requestId(), request.dataset(), request.partition(),
                source, Instant.now());
    }
}
