package io.duckload.ingest;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * Non-blocking permits for records in flight. The Kafka consumer calls from its event loop, where blocking is
 * not allowed, so a caller gets a future that completes once a permit is its own.
 */
final class Admission {

    private final int permits;
    private final Queue<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int taken;

    Admission(int permits) {
        this.permits = permits;
    }

    synchronized CompletableFuture<Void> acquire() {
        if (taken < permits) {
            taken++;
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> turn = new CompletableFuture<>();
        waiting.add(turn);
        return turn;
    }

    void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                taken--;
                return;
            }
        }
        // The permit passes straight to the next waiter; complete outside the lock.
        next.complete(null);
    }
}
