package io.duckload.events;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
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
import io.duckload.catalog.Locations;
import io.duckload.catalog.Partition;
import io.duckload.warehouse.LoadJob;
import io.duckload.warehouse.LoadOutcome;

/**
 * Builds the OpenLineage run events of a load: the job is {@code <namespace>/<dataset>}, the input the source file,
 * the output the DuckDB table with its schema, row count and partition.
 */
@ApplicationScoped
public class LineageEvents {

    private final DuckloadConfig config;
    private final Map<String, List<RunEvent.Field>> partitionedColumns = new java.util.concurrent.ConcurrentHashMap<>();

    public LineageEvents(DuckloadConfig config) {
        this.config = config;
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
        job.partition().ifPresent(p -> facets.put("partition", partition(p)));
        Long size = outcome.export().map(LineageEvents::sizeOrNull).orElse(null);
        var output = List.of(new RunEvent.Dataset(outputNamespace(), "main." + job.dataset().table(), facets,
                Map.of("outputStatistics", new RunEvent.OutputStatistics(producer(), RunEvent.OutputStatistics.URL,
                        outcome.rowsInserted(), size))));
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
        var output = List.of(new RunEvent.Dataset(outputNamespace(), "main." + config.datasets().get(dataset).table(),
                partition.<Map<String, Object>>map(p -> Map.of("partition", partition(p))).orElse(Map.of()),
                Map.of()));
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
        return new RunEvent.PartitionFacet(producer(), RunEvent.PartitionFacet.URL, p.key(), p.value(),
                p.start().toString(), p.end().toString());
    }

    /** OpenLineage dataset naming: {@code s3://bucket} + key, {@code https://host} + path, {@code file} + path. */
    private static RunEvent.Dataset input(String uri) {
        String redacted = Locations.redact(uri);
        try {
            URI parsed = new URI(redacted);
            if (parsed.getScheme() != null && parsed.getAuthority() != null) {
                return new RunEvent.Dataset(parsed.getScheme() + "://" + parsed.getAuthority(), parsed.getPath(),
                        Map.of(), Map.of());
            }
            if (parsed.getScheme() != null) {
                return new RunEvent.Dataset("file", parsed.getPath(), Map.of(), Map.of());
            }
        } catch (URISyntaxException e) {
            // a local path that is no URI: named as a file below
        }
        return new RunEvent.Dataset("file", redacted, Map.of(), Map.of());
    }

    private String outputNamespace() {
        return "duckdb://" + config.database().toAbsolutePath();
    }

    private String producer() {
        return config.eventSource();
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
