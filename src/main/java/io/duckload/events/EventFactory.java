package io.duckload.events;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.Partition;
import io.duckload.contracts.BackfillPosition;
import io.duckload.contracts.PartitionFailed;
import io.duckload.contracts.PartitionMaterialized;
import io.duckload.contracts.PartitionRequested;
import io.duckload.failure.LoadException;
import io.duckload.outbox.OutboxEvent;
import io.duckload.outbox.Report;
import io.duckload.warehouse.CheckResult;
import io.duckload.warehouse.LoadJob;
import io.duckload.warehouse.LoadOutcome;

/** Turns load results into the JSON events of the wire contracts, ready for the outbox or the broker. */
@ApplicationScoped
public class EventFactory {

    public static final String MATERIALIZED_TYPE = "io.duckload.PartitionMaterialized";
    public static final String FAILED_TYPE = "io.duckload.PartitionFailed";

    private final ObjectMapper mapper;
    private final DuckloadConfig config;
    private final Reports reports;

    public EventFactory(ObjectMapper mapper, DuckloadConfig config, Reports reports) {
        this.mapper = mapper;
        this.config = config;
        this.reports = reports;
    }

    /** What announces a committed load: one PartitionMaterialized per request it answers, and the reports. */
    public record Announcement(List<OutboxEvent> events, List<Report> reports) {
    }

    /**
     * In the load's transaction: the PartitionMaterialized of each of {@code requests} (request id and, when a
     * backfill named it, its position; in order) that {@code job} answers, and the integrations' reports of the
     * load ({@link Reports#of}), for the caller to store in the outbox.
     */
    public Announcement announcing(Connection connection, LoadJob job, LoadOutcome outcome,
            Map<String, Optional<BackfillPosition>> requests) throws SQLException {
        List<OutboxEvent> events = new ArrayList<>(requests.size());
        requests.forEach((requestId, backfill) -> events.add(materialized(job.forRequest(requestId), outcome,
                backfill)));
        return new Announcement(events, reports.of(connection, job, outcome));
    }

    /** The PartitionMaterialized answering {@code job}'s request; {@code backfill} when a backfill named it. */
    OutboxEvent materialized(LoadJob job, LoadOutcome outcome, Optional<BackfillPosition> backfill) {
        Optional<Partition> partition = job.partition();
        var event = new PartitionMaterialized(job.requestId(), job.dataset().name(), job.dataset().table(),
                partition.map(Partition::key).orElse(null), partition.map(Partition::value).orElse(null),
                partition.map(p -> new PartitionMaterialized.Window(p.start().toString(), p.end().toString()))
                        .orElse(null),
                outcome.rowsInserted(), outcome.rowsDeleted(), job.loadId(),
                new PartitionMaterialized.SourceInfo(job.source().uri(), job.source().bytes(), job.source().sha256(),
                        job.source().etag(), outcome.sourceSchema()),
                config.database().toAbsolutePath().toString(), outcome.committedAt().atOffset(ZoneOffset.UTC),
                outcome.committedAt().toEpochMilli() - job.startedAt().toEpochMilli(),
                outcome.export().map(java.nio.file.Path::toString).orElse(null), dbt(job),
                backfill.orElse(null), checks(outcome), outcome.tableSchema());
        String key = PartitionRequested.key(event.dataset(), event.partition());
        return new OutboxEvent(job.eventId(), config.topics().materialized(), key, MATERIALIZED_TYPE, key, json(event),
                outcome.committedAt());
    }

    /** The load's check results; null (member omitted) when the dataset has no checks. */
    private static List<PartitionMaterialized.CheckOutcome> checks(LoadOutcome outcome) {
        return outcome.checks().isEmpty() ? null : outcome.checks().stream().map(CheckResult::outcome).toList();
    }

    /** dbt's selection and, for a partition, its window as {@code min_date}/{@code max_date} vars. */
    private static PartitionMaterialized.Dbt dbt(LoadJob job) {
        return job.dataset().dbtSelect().map(select -> new PartitionMaterialized.Dbt(
                job.partition().map(p -> new PartitionMaterialized.DbtVars(p.start().toString(), p.end().toString()))
                        .orElse(null),
                select)).orElse(null);
    }

    /**
     * A PartitionFailed event; its id is derived from the request id, so a redelivered request that fails again
     * carries the same CloudEvents id.
     */
    public OutboxEvent failed(String requestId, String dataset, String partition, LoadException failure,
            int attempts, Optional<BackfillPosition> backfill) {
        Instant now = Instant.now();
        var event = new PartitionFailed(requestId, dataset, partition,
                new PartitionFailed.Error(failure.code().name(), failure.getMessage()), attempts,
                now.atOffset(ZoneOffset.UTC), backfill.orElse(null));
        String key = PartitionRequested.key(dataset, partition);
        String eventId = UUID.nameUUIDFromBytes(("failed/" + requestId).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
        return new OutboxEvent(eventId, config.topics().failed(), key, FAILED_TYPE, key, json(event), now);
    }

    private String json(Object event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event records always serialize", e);
        }
    }
}
