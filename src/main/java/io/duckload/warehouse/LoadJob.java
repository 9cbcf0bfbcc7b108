package io.duckload.warehouse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.Partition;
import io.duckload.source.StagedSource;

/**
 * One load to run in one DuckDB transaction.
 *
 * @param loadId new id of this load in the ledger
 * @param requestId the request it answers
 * @param dataset what to load
 * @param partition the partition, for partitioned datasets
 * @param source the staged source file
 * @param startedAt when work on the request started (fetching included)
 * @param eventId CloudEvents id of the event answering {@code requestId}: the load id for the request that
 *        started the load, a name-based UUID for a request that joined it
 * @param sourceSchema the staged source's columns, when they were described before the load reached the writer
 *        (see {@link SourceInspector}); otherwise the writer describes them
 */
public record LoadJob(String loadId, String requestId, Dataset dataset, Optional<Partition> partition,
        StagedSource source, Instant startedAt, String eventId, Optional<SourceSchema> sourceSchema) {

    public LoadJob(String loadId, String requestId, Dataset dataset, Optional<Partition> partition,
            StagedSource source, Instant startedAt) {
        this(loadId, requestId, dataset, partition, source, startedAt, loadId, Optional.empty());
    }

    /** The same load, its source's columns described already. */
    public LoadJob described(SourceSchema schema) {
        return new LoadJob(loadId, requestId, dataset, partition, source, startedAt, eventId, Optional.of(schema));
    }

    /** The same load, answering another request that joined it while it waited. */
    public LoadJob forRequest(String otherRequestId) {
        if (otherRequestId.equals(requestId)) {
            return this;
        }
        String id = UUID.nameUUIDFromBytes((loadId + "/" + otherRequestId).getBytes(StandardCharsets.UTF_8))
                .toString();
        return new LoadJob(loadId, otherRequestId, dataset, partition, source, startedAt, id, sourceSchema);
    }
}
