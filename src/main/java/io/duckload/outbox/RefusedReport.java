package io.duckload.outbox;

import java.time.Instant;

/**
 * A report an integration refused for good, parked in the outbox until an operator re-sends it.
 *
 * @param eventId the outbox row's id
 * @param destination {@link ReportRelay#DAGSTER} or {@link ReportRelay#OPENLINEAGE}
 * @param loadId the load it reports; null for the OpenLineage events of a failed load
 * @param type what the report is, e.g. {@code dagster.AssetMaterialization}, {@code openlineage.RunEvent.START}
 * @param subject the dataset (and partition) it reports on
 * @param path for Dagster the path below the base URL; empty for OpenLineage
 * @param status the HTTP status of the refusal
 * @param reply the start of the reply body
 * @param createdAt when the report was stored
 * @param refusedAt when it was refused
 */
public record RefusedReport(String eventId, String destination, String loadId, String type, String subject, String path,
        int status, String reply, Instant createdAt, Instant refusedAt) {
}
