package io.duckload.failure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for a future whose failure should surface as itself (a {@link LoadException}, say), not wrapped. */
public final class Futures {

    private Futures() {
    }

    /**
     * The future's value, waiting for it; a failure that is a {@link RuntimeException} is thrown as it is, any other
     * as the {@link CompletionException} that wraps it.
     */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
