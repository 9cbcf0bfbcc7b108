package io.duckload.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The API's records, with their nested records, for a native executable: Quarkus REST registers what a resource
 * method declares it returns, not the entity of a {@code Response} ({@link AcceptedRequests}, {@link ApiError}) nor
 * what an exception mapper writes; listing every record keeps a later change of a method's return type safe.
 * {@code NativeReflectionTest} fails when a record of this package is missing here.
 */
@RegisterForReflection(targets = { AcceptedRequests.class, ApiError.class, DatasetView.class, PartitionStatus.class,
        PartitionSummary.class, RangeRequest.class, LedgerReader.class, FailureLog.class, DatabaseResource.class,
        ReportResource.class, io.duckload.outbox.RefusedReport.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
