package io.duckload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.duckload.events.PartitionRequested;

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
    private Consumer<List<PartitionRequested>> during = requests -> { };
    private final RequestPipeline pipeline = new RequestPipeline(requests -> {
        loads.add(requests.stream().map(PartitionRequested::requestId).toList());
        during.accept(requests);
    }, executor);

    @Test
    void requestsForAPartitionThatHasNotStartedJoinOneLoad() {
        PartitionRequested first = request("taxi_trips", "2023-01-01");
        PartitionRequested second = request("taxi_trips", "2023-01-01");
        PartitionRequested third = request("taxi_trips", "2023-01-01");

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
        PartitionRequested first = request("taxi_trips", "2023-01-01");
        PartitionRequested second = request("taxi_trips", "2023-01-01");
        PartitionRequested third = request("taxi_trips", "2023-01-01");
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
        PartitionRequested january = request("taxi_trips", "2023-01-01");
        PartitionRequested february = request("taxi_trips", "2023-02-01");
        PartitionRequested zones = request("taxi_zones", null);
        PartitionRequested januaryAgain = request("taxi_trips", "2023-01-01");

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
        PartitionRequested first = request("taxi_trips", "2023-01-01");
        PartitionRequested second = request("taxi_trips", "2023-01-01");
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

    private static List<String> ids(PartitionRequested... requests) {
        return List.of(requests).stream().map(PartitionRequested::requestId).toList();
    }

    private static PartitionRequested request(String dataset, String partition) {
        return new PartitionRequested("pipeline-" + UUID.randomUUID(), dataset, partition, null);
    }
}
