package io.duckload.events;

import io.duckload.contracts.BackfillPosition;
import io.duckload.contracts.DagsterCheckEvaluation;
import io.duckload.contracts.DagsterMaterialization;
import io.duckload.contracts.PartitionFailed;
import io.duckload.contracts.PartitionMaterialized;
import io.duckload.contracts.PartitionRequested;
import io.duckload.contracts.RunEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The records that duckload's own {@code ObjectMapper} writes and reads: the wire contracts of
 * {@code io.duckload.contracts} (events, reports, lineage), registered here because that package depends on nothing
 * but the JDK and Jackson's annotations, and this package's own. With their nested records: a native executable keeps
 * their accessors and constructors only when they are registered for reflection. The API's records are in
 * io.duckload.api.NativeReflection; NativeReflectionTest holds both lists.
 */
@RegisterForReflection(targets = { PartitionRequested.class, PartitionMaterialized.class, PartitionFailed.class,
        BackfillPosition.class, DagsterMaterialization.class, DagsterCheckEvaluation.class, RunEvent.class,
        LineageNames.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
