package io.duckload.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The wire records that duckload's own {@code ObjectMapper} writes and reads (events, reports, lineage), with their
 * nested records: a native executable keeps their accessors and constructors only when they are registered for
 * reflection. The API's records are in io.duckload.api.NativeReflection; NativeReflectionTest holds both lists.
 */
@RegisterForReflection(targets = { PartitionRequested.class, PartitionMaterialized.class, PartitionFailed.class,
        BackfillPosition.class, DagsterMaterialization.class, DagsterCheckEvaluation.class, RunEvent.class,
        LineageNames.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
