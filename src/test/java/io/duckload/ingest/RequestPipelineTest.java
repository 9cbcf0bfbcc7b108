package io.duckload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.LoadMode;
import io.duckload.catalog.Partition;
import io.duckload.catalog.Template;

/**
 * The pipeline without a broker: its fetch workers are a queue the test runs by hand, so which group runs when,
 * and what waits for what, is decided by the test and not by thread timing.
 */
class RequestPipelineTest {

    /** Tasks handed to the fetch workers, run only when the test says so. */
    private final Queue<Runnable> workers = new ArrayDeque<>();
    private final Executor executor = workers::add;
    /** The requests of each load, in the order the loads ran. */
    private final List<List<String>> loads = new ArrayList<>();
    private Consumer<List<PlannedLoad>> during = requests -> { };
    private final RequestPipeline pipeline = new RequestPipeline(requests -> {
        loads.add(requests.stream().map(PlannedLoad::requestId).toList());
        during.accept(requests);
    }, (request, failure) -> {
        throw new AssertionError("no request is rejected here: " + request);
    }, executor);

    @Test
    void requestsForAPartitionThatHasNotStartedJoinOneLoad() {
        PlannedLoad first = request("taxi_trips", "2023-01-01");
        PlannedLoad second = request("taxi_trips", "2023-01-01");
        PlannedLoad third = request("taxi_trips", "2023-01-01");

        CompletableFuture<Void> a = pipeline.submit(first);
        CompletableFuture<Void> b = pipeline.submit(second);
        CompletableFuture<Void> c = pipeline.submit(third);

        assertThat(workers).hasSize(1);
        runAll();
        assertThat(loads).containsExactly(ids(first, second, third));
        assertThat(List.of(a, b, c)).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    }

    @Test
    void requestsArrivingWhileTheirPartitionLoadsWaitForItAndShareTheNextLoad() {
        PlannedLoad first = request("taxi_trips", "2023-01-01");
        PlannedLoad second = request("taxi_trips", "2023-01-01");
        PlannedLoad third = request("taxi_trips", "2023-01-01");
        List<CompletableFuture<Void>> later = new ArrayList<>();
        List<Integer> scheduledDuringFirstLoad = new ArrayList<>();
        during = requests -> {
            if (requests.contains(first)) {
                later.add(pipeline.submit(second));
                later.add(pipeline.submit(third));
                scheduledDuringFirstLoad.add(workers.size());
            }
        };

        CompletableFuture<Void> a = pipeline.submit(first);
        runAll();

        assertThat(scheduledDuringFirstLoad).as("nothing for the partition is scheduled while it loads")
                .containsExactly(0);
        assertThat(loads).containsExactly(ids(first), ids(second, third));
        assertThat(a).isCompleted();
        assertThat(later).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    }

    @Test
    void aPartitionWaitsForItsEarlierLoadButOtherPartitionsDoNot() {
        PlannedLoad january = request("taxi_trips", "2023-01-01");
        PlannedLoad february = request("taxi_trips", "2023-02-01");
        PlannedLoad zones = request("taxi_zones", null);
        PlannedLoad januaryAgain = request("taxi_trips", "2023-01-01");

        pipeline.submit(january);
        pipeline.submit(february);
        pipeline.submit(zones);
        assertThat(workers).as("one task per partition, all runnable at once by the fetch workers").hasSize(3);

        workers.poll().run();
        CompletableFuture<Void> again = pipeline.submit(januaryAgain);
        // January's load is over, so the new request starts a load of its own behind nothing.
        assertThat(workers).hasSize(3);
        runAll();
        assertThat(loads).containsExactly(ids(january), ids(february), ids(zones), ids(januaryAgain));
        assertThat(again).isCompleted();
    }

    @Test
    void aFailedLoadFailsItsRequestsAndTheNextRequestForThePartitionStillRuns() {
        PlannedLoad first = request("taxi_trips", "2023-01-01");
        PlannedLoad second = request("taxi_trips", "2023-01-01");
        IllegalStateException boom = new IllegalStateException("boom " + UUID.randomUUID());
        CompletableFuture<?>[] next = new CompletableFuture<?>[1];
        during = requests -> {
            if (requests.contains(first)) {
                next[0] = pipeline.submit(second);
                throw boom;
            }
        };

        CompletableFuture<Void> failed = pipeline.submit(first);
        runAll();

        assertThat(failed).isCompletedExceptionally();
        assertThat(failed.handle((ok, failure) -> failure).join()).hasRootCause(boom);
        assertThat(loads).containsExactly(ids(first), ids(second));
        assertThat(next[0]).isCompleted();
    }

    private void runAll() {
        for (Runnable task; (task = workers.poll()) != null;) {
            task.run();
        }
    }

    private static List<String> ids(PlannedLoad... requests) {
        return List.of(requests).stream().map(PlannedLoad::requestId).toList();
    }

    private static PlannedLoad request(String dataset, String partition) {
        Dataset definition = new Dataset(dataset, dataset, Optional.empty(), LoadMode.REPLACE_PARTITION,
                Optional.empty(), Template.parse("source", "/x", Set.of()), Optional.empty(), Optional.empty(),
                Template.parse("select", "select 1", Set.of()));
        Optional<Partition> parsed = Optional.ofNullable(partition).map(key -> new Partition(key,
                LocalDate.parse(key), LocalDate.parse(key).plusMonths(1), key.substring(0, 7)));
        return new PlannedLoad("pipeline-" + UUID.randomUUID(), definition, parsed, Optional.empty());
    }
}
