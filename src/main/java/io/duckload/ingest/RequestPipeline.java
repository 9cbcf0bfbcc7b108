package io.duckload.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.contracts.PartitionRequested;
import io.duckload.failure.LoadException;

/**
 * Runs requests concurrently on a pool of workers that fetch, while the single writer commits what is staged (in
 * groups when several wait). Requests for the same dataset partition run one after the other in arrival order; one
 * that arrives while an earlier one for the same partition is still waiting joins it, so the partition is loaded
 * once and both are answered.
 */
@ApplicationScoped
public class RequestPipeline {

    private static final Logger LOG = Logger.getLogger(RequestPipeline.class);

    private final LoadStep loads;
    private final RejectStep rejects;
    private final Executor workers;
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();
    private final Map<String, Group> waiting = new HashMap<>();

    @Inject
    public RequestPipeline(LoadService loads, Announcer rejects, DuckloadConfig config) {
        // One worker per record in flight: a worker waits for its commit and its event's acknowledgement, and a
        // staged load waiting for the writer must not keep the next source from being fetched. How many sources are
        // fetched at once is bounded apart (SourceStage), by duckload.pipeline.fetch-parallelism.
        this(loads, rejects, workers(Math.max(config.pipeline().fetchParallelism(),
                config.pipeline().maxInFlight())));
    }

    /**
     * Runs each group's load (and each reject) on {@code workers}: the seam for tests that drive the order
     * themselves.
     */
    RequestPipeline(LoadStep loads, RejectStep rejects, Executor workers) {
        this.loads = loads;
        this.rejects = rejects;
        this.workers = workers;
    }

    /** Up to {@code parallelism} workers, made as records come and gone after 30 s without one (their stacks too). */
    private static ExecutorService workers(int parallelism) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(parallelism, parallelism, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "duckload-worker-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Completes when {@code request} was answered (its event acknowledged by the broker). */
    public CompletableFuture<Void> submit(PlannedLoad request) {
        String key = request.key();
        synchronized (this) {
            Group open = waiting.get(key);
            if (open != null && open.join(request)) {
                LOG.infof("Request %s joins waiting request %s for %s", request.requestId(),
                        open.requests.get(0).requestId(), key);
                return open.done;
            }
            Group group = new Group(request);
            waiting.put(key, group);
            CompletableFuture<Void> previous = tails.getOrDefault(key, CompletableFuture.completedFuture(null));
            previous.handle((ignored, failure) -> null).thenRunAsync(() -> run(key, group), workers)
                    .whenComplete((ignored, failure) -> {
                        if (failure == null) {
                            group.done.complete(null);
                        } else {
                            group.done.completeExceptionally(failure);
                        }
                    });
            tails.put(key, group.done);
            group.done.whenComplete((ignored, failure) -> forget(key, group));
            return group.done;
        }
    }

    /** Answers a request that failed validation with PartitionFailed, on a worker: sending it blocks. */
    public CompletableFuture<Void> reject(PartitionRequested request, LoadException failure) {
        return CompletableFuture.runAsync(() -> rejects.reject(request, failure), workers);
    }

    /** How many requests for the partition wait for an earlier load of it to end (tests watch this). */
    synchronized int waiting(String dataset, String partition) {
        Group open = waiting.get(dataset + "/" + partition);
        return open == null || open.started ? 0 : open.requests.size();
    }

    private void run(String key, Group group) {
        List<PlannedLoad> requests;
        synchronized (this) {
            group.started = true;
            waiting.remove(key, group);
            requests = List.copyOf(group.requests);
        }
        loads.load(requests);
    }

    private synchronized void forget(String key, Group group) {
        tails.remove(key, group.done);
        waiting.remove(key, group);
    }

    @PreDestroy
    void stop() {
        if (workers instanceof ExecutorService pool) {
            pool.shutdownNow();
        }
    }

    /** Requests answered by one load: the first, and those that joined it before it started. */
    private static final class Group {
        final List<PlannedLoad> requests = new ArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        boolean started;

        Group(PlannedLoad first) {
            requests.add(first);
        }

        boolean join(PlannedLoad request) {
            if (started) {
                return false;
            }
            requests.add(request);
            return true;
        }
    }
}
