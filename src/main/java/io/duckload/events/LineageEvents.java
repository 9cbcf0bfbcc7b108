package io.duckload.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.LoadMode;
import io.duckload.catalog.Partition;
import io.duckload.contracts.RunEvent;
import io.duckload.warehouse.LoadJob;
import io.duckload.warehouse.LoadOutcome;

/**
 * Builds the OpenLineage run events of a load: the job is {@code <namespace>/<dataset>}, the input the source file,
 * the output the DuckDB table with its schema, row count and partition; datasets named per {@link LineageNames}.
 */
@ApplicationScoped
public class LineageEvents {

    private final DuckloadConfig config;
    private final Map<String, List<RunEvent.Field>> partitionedColumns = new java.util.concurrent.ConcurrentHashMap<>();
    /** {@code _schemaURL} of the {@code duckload_partition} facet, below {@code openlineage.schema-base-url}. */
    private final String partitionSchemaUrl;

    public LineageEvents(DuckloadConfig config) {
        this.config = config;
        String base = config.openlineage().schemaBaseUrl().toString();
        this.partitionSchemaUrl = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + RunEvent.PartitionFacet.SCHEMA_PATH + RunEvent.PartitionFacet.DEFINITION;
    }

    /** START (at {@code writerStart}) and COMPLETE (at the commit) of a committed load; runId is the load id. */
    List<RunEvent> committed(Connection connection, LoadJob job, LoadOutcome outcome, Instant writerStart)
            throws SQLException {
        String dataset = job.dataset().name();
        var input = List.of(input(job.source().uri()));
        Map<String, Object> facets = new java.util.LinkedHashMap<>();
        // A replace-partition table keeps the columns it was created with (from configuration): ask DuckDB once,
        // the query costs a tiny load about a quarter of its commit time. A replaced table may change its columns.
        String table = job.dataset().table();
        List<RunEvent.Field> columns = partitionedColumns.get(table);
        if (columns == null) {
            columns = columns(connection, table);
            if (job.dataset().mode() == LoadMode.REPLACE_PARTITION) {
                partitionedColumns.put(table, columns);
            }
        }
        facets.put("schema", new RunEvent.SchemaFacet(producer(), RunEvent.SchemaFacet.URL, columns));
        job.partition().ifPresent(p -> facets.put(RunEvent.PartitionFacet.KEY, partition(p)));
        Long size = outcome.export().map(LineageEvents::sizeOrNull).orElse(null);
        var output = List.of(output(table, facets, Map.of("outputStatistics", new RunEvent.OutputStatistics(
                producer(), RunEvent.OutputStatistics.URL, outcome.rowsInserted(), size))));
        var run = new RunEvent.Run(job.loadId(), Map.of());
        return List.of(event("START", writerStart, run, dataset, input, output),
                event("COMPLETE", outcome.committedAt(), run, dataset, input, output));
    }

    /**
     * START (at {@code startedAt}) and FAIL (now, with the {@code errorMessage} facet) of a load that failed; the
     * runId is derived from the request id, so a redelivered request that fails again repeats it.
     */
    List<RunEvent> failed(String requestId, String dataset, Optional<Partition> partition, String error,
            Instant startedAt) {
        String runId = UUID.nameUUIDFromBytes(("openlineage/failed/" + requestId).getBytes(StandardCharsets.UTF_8))
                .toString();
        var output = List.of(output(config.datasets().get(dataset).table(),
                partition.<Map<String, Object>>map(p -> Map.of(RunEvent.PartitionFacet.KEY, partition(p)))
                        .orElse(Map.of()), Map.of()));
        var fail = new RunEvent.Run(runId,
                Map.of("errorMessage", new RunEvent.ErrorMessage(producer(), RunEvent.ErrorMessage.URL, error, "Java")));
        return List.of(event("START", startedAt, new RunEvent.Run(runId, Map.of()), dataset, null, output),
                event("FAIL", Instant.now(), fail, dataset, null, output));
    }

    /** Kafka key of a job's events: {@code <namespace>/<dataset>}, so one job's events stay in order. */
    String key(String dataset) {
        return config.openlineage().namespace() + "/" + dataset;
    }

    private RunEvent event(String type, Instant time, RunEvent.Run run, String dataset, List<RunEvent.Dataset> inputs,
            List<RunEvent.Dataset> outputs) {
        return new RunEvent(type, time.atOffset(ZoneOffset.UTC), run,
                new RunEvent.Job(config.openlineage().namespace(), dataset), inputs, outputs, producer(),
                RunEvent.SPEC);
    }

    private RunEvent.PartitionFacet partition(Partition p) {
        return new RunEvent.PartitionFacet(producer(), partitionSchemaUrl, p.key(), p.value(), p.start().toString(),
                p.end().toString());
    }

    /** The source file, named per OpenLineage's naming conventions ({@link LineageNames#source}). */
    private static RunEvent.Dataset input(String uri) {
        LineageNames.Name name = LineageNames.source(uri);
        return new RunEvent.Dataset(name.namespace(), name.name(), Map.of(), Map.of());
    }

    /** The DuckDB table, named as OpenLineage's dbt integration names it ({@link LineageNames#table}). */
    private RunEvent.Dataset output(String table, Map<String, Object> facets, Map<String, Object> outputFacets) {
        LineageNames.Name name = LineageNames.table(config.database(), table);
        return new RunEvent.Dataset(name.namespace(), name.name(), facets, outputFacets);
    }

    private String producer() {
        return config.eventSource().toString();
    }

    private static List<RunEvent.Field> columns(Connection connection, String table) throws SQLException {
        List<RunEvent.Field> fields = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT column_name, data_type FROM "
                + "information_schema.columns WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    fields.add(new RunEvent.Field(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return List.copyOf(fields);
    }

    private static Long sizeOrNull(java.nio.file.Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return null;
        }
    }
}
