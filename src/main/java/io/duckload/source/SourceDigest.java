package io.duckload.source;

import java.util.concurrent.CompletableFuture;

import io.duckload.failure.Futures;
import io.duckload.failure.LoadException;

/**
 * The hex SHA-256 of a source's bytes: known when the source was staged, or still being computed beside the load.
 * A large local file is read in place, so its digest is taken while DuckDB reads the same file on the writer; the
 * load waits for it only when it writes its ledger row and event, at the end of its transaction.
 */
public final class SourceDigest {

    private final CompletableFuture<String> hex;

    private SourceDigest(CompletableFuture<String> hex) {
        this.hex = hex;
    }

    /** A digest already computed. */
    public static SourceDigest of(String hex) {
        return new SourceDigest(CompletableFuture.completedFuture(hex));
    }

    /** A digest being computed; it completes exceptionally with a {@link LoadException} if the source is unread. */
    static SourceDigest computing(CompletableFuture<String> hex) {
        return new SourceDigest(hex);
    }

    /**
     * The hex digest, waiting until it is computed; throws the {@link LoadException} that reading the source failed
     * with, which fails the load (its transaction is rolled back).
     */
    public String get() {
        return Futures.join(hex);
    }

    @Override
    public String toString() {
        if (!hex.isDone()) {
            return "(computing)";
        }
        return hex.isCompletedExceptionally() ? "(unread)" : hex.join();
    }
}
