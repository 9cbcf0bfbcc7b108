package io.duckload.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The wire records that duckload's own {@code ObjectMapper} writes and reads (events, reports, lineage), with their
 * nested records: a native executable keeps their accessors and constructors only when they are registered for
 * reflection. The REST API's records need no entry: Quarkus REST registers what its resources return.
 */
@RegisterForReflection(targets = { PartitionRequested.class, PartitionMaterialized.class, PartitionFailed.class,
        BackfillPosition.class, DagsterMaterialization.class, DagsterCheckEvaluation.class, RunEvent.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
