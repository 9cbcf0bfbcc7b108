package io.duckload.ingest;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.duckload.events.BackfillPosition;

/** The backfill positions of requests in flight, so that their events can say where they stand. */
@ApplicationScoped
public class Backfills {

    private final Map<String, BackfillPosition> positions = new ConcurrentHashMap<>();

    void register(String requestId, BackfillPosition position) {
        positions.put(requestId, position);
    }

    void forget(String requestId) {
        positions.remove(requestId);
    }

    public Optional<BackfillPosition> positionOf(String requestId) {
        return Optional.ofNullable(positions.get(requestId));
    }
}
