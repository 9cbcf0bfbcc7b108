package io.duckload.events;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.Locations;
import io.duckload.catalog.Partition;
import io.duckload.contracts.DagsterCheckEvaluation;
import io.duckload.contracts.DagsterMaterialization;
import io.duckload.contracts.PartitionRequested;
import io.duckload.contracts.RunEvent;
import io.duckload.outbox.OutboxEvent;
import io.duckload.outbox.Report;
import io.duckload.outbox.ReportRelay;
import io.duckload.warehouse.CheckResult;
import io.duckload.warehouse.LoadJob;
import io.duckload.warehouse.LoadOutcome;

/**
 * The reports of a load for the configured integrations (Dagster, OpenLineage), as outbox rows: those of a committed
 * load for its own transaction, so that they exist exactly when the load committed; those of a failed load for
 * {@link ReportRelay}, which stores and delivers them.
 */
@ApplicationScoped
public class Reports {

    static final String MATERIALIZATION_PATH = "report_asset_materialization/";
    static final String CHECK_PATH = "report_asset_check/";

    private final ObjectMapper mapper;
    private final DuckloadConfig config;
    private final LineageEvents lineage;
    private final ReportRelay relay;

    public Reports(ObjectMapper mapper, DuckloadConfig config, LineageEvents lineage, ReportRelay relay) {
        this.mapper = mapper;
        this.config = config;
        this.lineage = lineage;
        this.relay = relay;
    }

    /**
     * In the load's transaction: the reports of {@code job} for each configured integration, for the caller to store
     * as outbox rows of that transaction and to hand to {@link ReportRelay#committed} once it committed.
     * OpenLineage's START is among them, timestamped when the writer began the load ({@link
     * LoadOutcome#writerStartedAt}): a load that rolls back leaves no START behind.
     */
    public List<Report> of(Connection connection, LoadJob job, LoadOutcome outcome) throws SQLException {
        List<Report> reports = new ArrayList<>();
        if (config.dagster().url().isPresent()) {
            reports.add(dagster(job, outcome));
            for (CheckResult check : outcome.checks()) {
                reports.add(dagsterCheck(job, check, outcome));
            }
        }
        if (lineageEnabled()) {
            Instant writerStart = Optional.ofNullable(outcome.writerStartedAt()).orElse(outcome.committedAt());
            lineageRows(job.loadId(), job.dataset().name(), lineage.committed(connection, job, outcome, writerStart),
                    reports);
        }
        return reports;
    }

    /**
     * After a load failed: its OpenLineage START and FAIL, handed to the relay to store in a small transaction of
     * their own and deliver. Does not wait; if the file cannot be written either, the failure is announced by
     * PartitionFailed only.
     */
    public void failed(String requestId, String dataset, Optional<Partition> partition, String error,
            Instant startedAt) {
        if (!lineageEnabled() || !config.datasets().containsKey(dataset)) {
            return;
        }
        List<Report> reports = new ArrayList<>();
        lineageRows(requestId, dataset, lineage.failed(requestId, dataset, partition, error, startedAt), reports);
        relay.storeAndQueue(requestId, reports);
    }

    private boolean lineageEnabled() {
        return config.openlineage().url().isPresent() || config.openlineage().topic().isPresent();
    }

    /** One row per event and lineage destination; ids derived from the run, the event type and the destination. */
    private void lineageRows(String runKey, String dataset, List<RunEvent> events, List<Report> into) {
        for (RunEvent event : events) {
            String payload = json(event);
            // POSTed to the configured URL itself (the empty path below it), or sent to the configured topic.
            config.openlineage().url().ifPresent(url -> into.add(Report.toPath(ReportRelay.OPENLINEAGE, "",
                    lineageRow(runKey, dataset, event, null, payload, ReportRelay.OPENLINEAGE))));
            config.openlineage().topic().ifPresent(topic -> into.add(Report.toTopic(ReportRelay.OPENLINEAGE_KAFKA,
                    lineageRow(runKey, dataset, event, topic, payload, ReportRelay.OPENLINEAGE_KAFKA))));
        }
    }

    /** The row of {@code event} for {@code destination}, to {@code topic} (null over HTTP). */
    private OutboxEvent lineageRow(String runKey, String dataset, RunEvent event, String topic, String payload,
            String destination) {
        String id = UUID.nameUUIDFromBytes((destination + "/" + runKey + "/" + event.eventType())
                .getBytes(StandardCharsets.UTF_8)).toString();
        return new OutboxEvent(id, topic, lineage.key(dataset), "openlineage.RunEvent." + event.eventType(),
                lineage.key(dataset), payload, event.eventTime().toInstant());
    }

    /** The Dagster materialization of {@code job}: one per load, its id derived from the load id. */
    Report dagster(LoadJob job, LoadOutcome outcome) {
        String dataset = job.dataset().name();
        String assetKey = assetKey(dataset);
        String partition = job.partition().map(Partition::key).orElse(null);
        var body = new DagsterMaterialization(partition, job.loadId(),
                "duckload load " + job.loadId() + " into " + job.dataset().table(),
                new DagsterMaterialization.Metadata(outcome.rowsInserted(), outcome.rowsDeleted(),
                        Locations.redact(job.source().uri()), job.source().sha256(),
                        outcome.committedAt().toEpochMilli() - job.startedAt().toEpochMilli(), job.dataset().table(),
                        config.database().toAbsolutePath().toString(), job.loadId()));
        String id = UUID.nameUUIDFromBytes(("dagster/" + job.loadId()).getBytes(StandardCharsets.UTF_8)).toString();
        String key = PartitionRequested.key(dataset, partition);
        return Report.toPath(ReportRelay.DAGSTER, MATERIALIZATION_PATH + assetKey, new OutboxEvent(id, null, key,
                "dagster.AssetMaterialization", key, json(body), outcome.committedAt()));
    }

    /**
     * One check result of a committed load as Dagster's {@code POST /report_asset_check/<asset key>}: its id derived
     * from the load id and the check's name. Checks that refused a load are in its PartitionFailed instead: no
     * load of the asset committed for them to describe.
     */
    Report dagsterCheck(LoadJob job, CheckResult check, LoadOutcome outcome) {
        String dataset = job.dataset().name();
        String partition = job.partition().map(Partition::key).orElse(null);
        var body = new DagsterCheckEvaluation(check.name(), check.passed(),
                check.severity().name(),
                new DagsterCheckEvaluation.Metadata(check.violations(), partition, job.loadId()));
        String id = UUID.nameUUIDFromBytes(("dagster-check/" + job.loadId() + "/" + check.name())
                .getBytes(StandardCharsets.UTF_8)).toString();
        String key = PartitionRequested.key(dataset, partition);
        return Report.toPath(ReportRelay.DAGSTER, CHECK_PATH + assetKey(dataset), new OutboxEvent(id, null, key,
                "dagster.AssetCheckEvaluation", key, json(body), outcome.committedAt()));
    }

    private String assetKey(String dataset) {
        return config.datasets().get(dataset).dagster().assetKey().orElse(dataset);
    }

    private String json(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report records always serialize", e);
        }
    }
}
