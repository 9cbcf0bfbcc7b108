package io.duckload.warehouse;

import java.time.Instant;

/** What a load changed, known inside its transaction just before the commit. */
public record LoadOutcome(long rowsInserted, long rowsDeleted, Instant committedAt) {
}
