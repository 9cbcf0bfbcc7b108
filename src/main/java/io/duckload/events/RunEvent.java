package io.duckload.events;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An OpenLineage run event (spec {@code OpenLineage.json}, definition {@code RunEvent}): required are {@code run},
 * {@code job}, {@code eventTime}, {@code producer} (and {@code schemaURL} since spec 2); facets carry
 * {@code _producer} and {@code _schemaURL}.
 *
 * @param eventType START, COMPLETE or FAIL
 * @param eventTime when the transition happened
 * @param run the run: its {@code runId} is the load id (a UUID)
 * @param job {@code <namespace>/<dataset>}
 * @param inputs the source file
 * @param outputs the DuckDB table
 * @param producer URI of duckload (its CloudEvents source, {@code duckload.event-source})
 * @param schemaURL the spec version the event follows
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunEvent(String eventType, OffsetDateTime eventTime, Run run, Job job, List<Dataset> inputs,
        List<Dataset> outputs, String producer, String schemaURL) {

    public static final String SPEC = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent";

    /** A run; its facets hold {@code errorMessage} for a FAIL. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Run(String runId, Map<String, Object> facets) {
    }

    /** A job: one per dataset. */
    public record Job(String namespace, String name) {
    }

    /** An input or output dataset with its facets ({@code schema}, {@code partition}) and output facets. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Dataset(String namespace, String name, Map<String, Object> facets,
            Map<String, Object> outputFacets) {
    }

    /** The {@code schema} dataset facet: the table's columns. */
    public record SchemaFacet(@JsonProperty("_producer") String producer, @JsonProperty("_schemaURL") String schemaURL,
            List<Field> fields) {
        public static final String URL = "https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json"
                + "#/$defs/SchemaDatasetFacet";
    }

    /** A column of the schema facet. */
    public record Field(String name, String type) {
    }

    /** The {@code outputStatistics} output facet; {@code size} only when known (the parquet export). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OutputStatistics(@JsonProperty("_producer") String producer,
            @JsonProperty("_schemaURL") String schemaURL, long rowCount, Long size) {
        public static final String URL = "https://openlineage.io/spec/facets/1-0-2/"
                + "OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet";
    }

    /** duckload's own {@code partition} dataset facet: which partition the run replaced. */
    public record PartitionFacet(@JsonProperty("_producer") String producer,
            @JsonProperty("_schemaURL") String schemaURL, String key, String value, String start, String end) {
        /** No published schema: a stable name, documented in README "Integrations". */
        public static final String URL = "urn:duckload:facet:partition:1";
    }

    /** The {@code errorMessage} run facet of a FAIL. */
    public record ErrorMessage(@JsonProperty("_producer") String producer, @JsonProperty("_schemaURL") String schemaURL,
            String message, String programmingLanguage) {
        public static final String URL = "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json"
                + "#/$defs/ErrorMessageRunFacet";
    }
}
