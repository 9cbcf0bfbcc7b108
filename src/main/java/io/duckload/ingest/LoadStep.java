package io.duckload.ingest;

import java.util.List;

/** The pipeline's next hop: answers the requests of one dataset partition with one load. Blocks (a worker). */
public interface LoadStep {

    /** Fetches, commits and announces one load for {@code requests} (the first and those that joined it). */
    void load(List<PlannedLoad> requests);
}
