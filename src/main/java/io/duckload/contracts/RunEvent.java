package io.duckload.contracts;

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

    /** The definition in the spec that validates the event (the document keeps its definitions under $defs). */
    public static final String SPEC = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";

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

    /**
     * duckload's own {@code duckload_partition} dataset facet (custom facets carry their producer's prefix): which
     * partition the run replaced. Its JSON Schema is in this repository and served by the service at
     * {@link #SCHEMA_PATH}.
     */
    public record PartitionFacet(@JsonProperty("_producer") String producer,
            @JsonProperty("_schemaURL") String schemaURL, String key, String value, String start, String end) {
        /** The facet's key in a dataset's {@code facets}. */
        public static final String KEY = "duckload_partition";
        /** Where the service serves the facet's schema (src/main/resources/META-INF/resources/openlineage/...). */
        public static final String SCHEMA_PATH = "/openlineage/facets/1-0-0/DuckloadPartitionDatasetFacet.json";
        /** The definition in that document that validates the facet. */
        public static final String DEFINITION = "#/$defs/DuckloadPartitionDatasetFacet";
    }

    /** The {@code errorMessage} run facet of a FAIL. */
    public record ErrorMessage(@JsonProperty("_producer") String producer, @JsonProperty("_schemaURL") String schemaURL,
            String message, String programmingLanguage) {
        public static final String URL = "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json"
                + "#/$defs/ErrorMessageRunFacet";
    }
}
