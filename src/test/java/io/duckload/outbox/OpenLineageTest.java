package io.duckload.outbox;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.OpenLineageSpec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * OpenLineage run events of loads on the real broker (and the same events at a recording HTTP endpoint): START and
 * COMPLETE sharing the load's runId, FAIL with an errorMessage facet, rowCount equal to rowsInserted, each event
 * valid against the published spec ({@link OpenLineageSpec}), and the DuckDB table named as OpenLineage's dbt
 * integration names a dbt-duckdb model's relation on the same file, so a backend connects the two.
 */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenLineageResource.class, restrictToAnnotatedClass = true)
class OpenLineageTest extends LineageFlowTest {

    @Test
    void aCommittedLoadIsAStartAndACompleteSharingItsRunId() {
        JsonNode loaded = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-02-01"));
        String runId = loaded.path("loadId").asText();

        List<ConsumerRecord<String, String>> run = lineage.awaitRun(runId, 2);
        JsonNode start = LineageTopic.event(run, "START");
        JsonNode complete = LineageTopic.event(run, "COMPLETE");
        run.forEach(record -> assertThat(record.key()).isEqualTo(OpenLineageResource.NAMESPACE + "/taxi_trips"));
        for (JsonNode event : List.of(start, complete)) {
            assertThat(spec.violations(event)).isEmpty();
            assertThat(event.path("producer").asText()).isEqualTo("urn:duckload");
            assertThat(event.path("job").path("namespace").asText()).isEqualTo(OpenLineageResource.NAMESPACE);
            assertThat(event.path("job").path("name").asText()).isEqualTo("taxi_trips");
            // naming.md: a local file is namespace "file", name its absolute path.
            assertThat(event.path("inputs").path(0).path("namespace").asText()).isEqualTo("file");
            assertThat(event.path("inputs").path(0).path("name").asText()).isEqualTo(DuckloadTestResource.directory()
                    .resolve("sources/yellow_tripdata_2023-02.parquet").toAbsolutePath().toString());
            JsonNode output = event.path("outputs").path(0);
            assertThat(output.path("namespace").asText()).isEqualTo(DbtDuckDb.namespace(profilePath()));
            assertThat(output.path("name").asText()).isEqualTo(DbtDuckDb.relationName(profilePath(), "main", "trips"));
            JsonNode partition = output.path("facets").path("duckload_partition");
            assertThat(partition.path("key").asText()).isEqualTo("2023-02-01");
            assertThat(partition.path("value").asText()).isEqualTo("2023-02");
            assertThat(partition.path("start").asText()).isEqualTo("2023-02-01");
            assertThat(partition.path("end").asText()).isEqualTo("2023-03-01");
            assertThat(StreamSupport.stream(output.path("facets").path("schema").path("fields").spliterator(), false)
                    .map(f -> f.path("name").asText())).contains("pickup_zone_id", "partition_date");
            assertThat(output.path("outputFacets").path("outputStatistics").path("rowCount").asLong())
                    .isEqualTo(loaded.path("rowsInserted").asLong());
        }
        assertThat(loaded.path("rowsInserted").asLong()).isEqualTo(1500);
        assertThat(OffsetDateTime.parse(start.path("eventTime").asText()))
                .isBeforeOrEqualTo(OffsetDateTime.parse(complete.path("eventTime").asText()));
        assertThat(OffsetDateTime.parse(complete.path("eventTime").asText()).toInstant())
                .isEqualTo(OffsetDateTime.parse(loaded.path("materializedAt").asText()).toInstant());

        // The same two events reach the HTTP endpoint.
        Awaitility.await().atMost(LineageTopic.PATIENCE).until(() -> OpenLineageResource.endpoint().requests(
                r -> r.path().equals(OpenLineageResource.PATH) && runId.equals(r.json().path("run").path("runId")
                        .asText())).size() == 2);
    }

    @Test
    void aFailedLoadIsAStartAndAFailWithItsErrorMessage() {
        String requestId = log.request("taxi_trips", "2023-05-01");
        JsonNode failed = log.awaitEvent(FAILED, requestId);

        List<ConsumerRecord<String, String>> run = lineage.awaitRun(LineageTopic.failedRunId(requestId), 2);
        JsonNode fail = LineageTopic.event(run, "FAIL");
        assertThat(spec.violations(LineageTopic.event(run, "START"))).isEmpty();
        assertThat(spec.violations(fail)).isEmpty();
        JsonNode error = fail.path("run").path("facets").path("errorMessage");
        assertThat(error.path("message").asText()).startsWith(failed.path("error").path("code").asText() + ": ");
        assertThat(error.path("programmingLanguage").asText()).isEqualTo("Java");
        JsonNode output = fail.path("outputs").path(0);
        assertThat(output.path("facets").path("duckload_partition").path("key").asText()).isEqualTo("2023-05-01");
        assertThat(output.path("name").asText()).isEqualTo(DbtDuckDb.relationName(profilePath(), "main", "trips"));
        assertThat(fail.has("inputs")).isFalse();
    }

    @Test
    void theTableIsTheDatasetDbtNamesForADbtDuckdbModelOnTheSameFile() {
        JsonNode loaded = log.awaitEvent(MATERIALIZED, log.request("taxi_zones", null));
        JsonNode complete = LineageTopic.event(lineage.awaitRun(loaded.path("loadId").asText(), 2), "COMPLETE");

        // A dbt-duckdb profile whose path is the file PartitionMaterialized announces, its models in schema main.
        String profilePath = loaded.path("database").asText();
        JsonNode output = complete.path("outputs").path(0);
        assertThat(output.path("namespace").asText()).isEqualTo(DbtDuckDb.namespace(profilePath));
        assertThat(output.path("name").asText()).isEqualTo(DbtDuckDb.relationName(profilePath, "main", "zones"));
        assertThat(output.path("name").asText()).isEqualTo("duckload.main.zones");
        assertThat(complete.path("inputs").path(0).path("name").asText())
                .isEqualTo(DuckloadTestResource.directory().resolve("sources/taxi_zones.csv").toString());
    }

    private static String profilePath() {
        return DuckloadTestResource.database().toAbsolutePath().toString();
    }

    /**
     * How OpenLineage's dbt integration names the relations of a dbt-duckdb project, written down from its source
     * (OpenLineage/OpenLineage {@code integration/common/openlineage/common/provider/dbt/processor.py}, and
     * duckdb/dbt-duckdb {@code dbt/adapters/duckdb/credentials.py} for the database), independently of duckload's
     * code.
     */
    static final class DbtDuckDb {

        private DbtDuckDb() {
        }

        /** {@code extract_namespace}, {@code Adapter.DUCKDB}: {@code f"duckdb://{profile['path']}"}. */
        static String namespace(String profilePath) {
            return "duckdb://" + profilePath;
        }

        /**
         * {@code extract_dataset_data}: {@code _format_dataset_name(node["database"], node["schema"], node["name"])},
         * which is {@code ".".join(filter(None, [database, schema, table]))}; the node's database is the target's.
         */
        static String relationName(String profilePath, String schema, String table) {
            List<String> parts = new ArrayList<>();
            for (String part : new String[] { database(profilePath), schema, table }) {
                if (part != null && !part.isEmpty()) {
                    parts.add(part);
                }
            }
            return String.join(".", parts);
        }

        /**
         * {@code DuckDBCredentials.__pre_deserialize__}: {@code path_db = os.path.splitext(os.path.basename(
         * urlparse(path).path))[0]}, the target's database when the profile names none.
         */
        static String database(String profilePath) {
            // urlparse(path).path of a plain POSIX path is the path itself; basename is what follows the last /.
            return splitextRoot(profilePath.substring(profilePath.lastIndexOf('/') + 1));
        }

        /** Python's {@code posixpath.splitext(p)[0]} ({@code genericpath._splitext}): leading dots are no extension. */
        private static String splitextRoot(String p) {
            int dot = p.lastIndexOf('.');
            if (dot > 0) {
                for (int i = 0; i < dot; i++) {
                    if (p.charAt(i) != '.') {
                        return p.substring(0, dot);
                    }
                }
            }
            return p;
        }
    }
}
