package io.duckload.warehouse;

import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.JavaProgram;
import io.duckload.testing.KafkaFlowTest;
import io.duckload.testing.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The file the running service writes, with default settings, opens in DuckDB releases older than the service's own
 * (issue 31): duckdb_jdbc 1.4 (the long-term-support line) and 1.5 from Maven Central, each in a process of its own,
 * read the rows a PartitionMaterialized announced while the service is idle (with hold-file=while-busy it released
 * the file).
 */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class OtherReadersTest extends KafkaFlowTest {

    @ParameterizedTest
    @ValueSource(strings = {"1.4.4.0", "1.5.6.0"})
    void anOlderDuckDbReadsTheRowsTheEventAnnounced(String release) throws Exception {
        JsonNode event = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-02-01"));
        long announced = event.get("rowsInserted").asLong();

        String read = readWith(release, event.get("database").asText(), event.get("loadId").asText());

        String version = "v" + release.substring(0, release.lastIndexOf('.'));
        assertThat(read).isEqualTo("reader " + version + " ledger " + announced + " table " + announced);
        assertThat(announced).isEqualTo(DuckloadTestResource.TRIP_ROWS.get("2023-02"));
    }

    @Test
    void theApiShowsTheFilesStorageVersion() {
        log.awaitEvent(MATERIALIZED, log.request("taxi_zones", null));

        given().get("/database").then().statusCode(200)
                .body("storageVersion", equalTo("v1.4.0+"))
                .body("oldestReader", equalTo("v1.4.0"))
                .body("configuredStorageVersion", equalTo("v1.4.0"))
                .body("newerThanConfigured", equalTo(false));
    }

    /** Runs ReadLoad with duckdb_jdbc {@code release} on its class path; its one line of output. */
    private static String readWith(String release, String database, String loadId)
            throws IOException, InterruptedException {
        Path jar = ServiceProcess.buildDir().resolve("duckdb-readers/duckdb_jdbc-" + release + ".jar");
        assertThat(jar).as("copied by the pom's maven-dependency-plugin (process-test-resources)").exists();
        Path output = Files.createTempFile(ServiceProcess.buildDir(), "reader-" + release + "-", ".log");
        Process reader = JavaProgram.start(jar.toString(), JavaProgram.resource("readers/ReadLoad.java"), output,
                database, loadId, "trips", "partition_date");
        assertThat(reader.waitFor(60, TimeUnit.SECONDS)).as("reader finished").isTrue();
        return JavaProgram.read(output).strip();
    }
}
