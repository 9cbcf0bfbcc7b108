package io.duckload.outbox;

import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.duckload.testing.Fixtures.queryLong;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.api.HeadlessChromium;
import io.duckload.testing.Credentials;
import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.EventLog;
import io.duckload.testing.KafkaFlowTest;
import io.duckload.testing.LogCapture;
import io.duckload.testing.RecordingHttpServer;
import io.duckload.testing.RecordingHttpServer.Recorded;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Dagster replies that a retry would not change park the report: sent once, counted, listed by the API, and
 * delivered once an operator re-sends it after the fix; replies that may change (503, 429, 408) are retried. Against
 * a real HTTP server on 127.0.0.1, the real broker and the real DuckDB file.
 */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DagsterRecorderResource.class, restrictToAnnotatedClass = true)
class RefusedReportTest extends KafkaFlowTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Only this test loads test_csv in this application: its materializations are the ones the rules answer. */
    private static final String REPORT = DagsterRecorderResource.DEPLOYMENT + "/report_asset_materialization/test_csv";

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/")
    URL page;

    @AfterEach
    void fixDagster() {
        DagsterRecorderResource.dagster().answerAllWith200();
    }

    @Test
    void aReportRefusedWith400IsSentOnceParkedAndDeliveredWhenResentAfterTheFix() {
        RecordingHttpServer dagster = DagsterRecorderResource.dagster();
        double refusedBefore = refused();
        String reason = "no asset test_csv in this deployment " + UUID.randomUUID();
        dagster.answer(r -> r.path().equals(REPORT), 400, "{\"error\": \"" + reason + "\"}");

        String refusedLoad;
        JsonNode parked;
        try (LogCapture relayLog = LogCapture.of(ReportRelay.class.getName())) {
            refusedLoad = load();
            Recorded first = dagster.await(r -> refusedLoad.equals(dataVersion(r)), PATIENCE);
            assertThat(first.status()).isEqualTo(400);
            parked = Awaitility.await().atMost(PATIENCE).until(() -> parkedReport(refusedLoad), p -> p != null);
            // One line, naming the report, the status, the reply and what to do.
            assertThat(relayLog.messages()).filteredOn(m -> m.contains(parked.path("eventId").asText()))
                    .singleElement().asString().contains("refused with HTTP 400", reason, "parked, not retried",
                            "POST /reports/refused/resend");
        }
        assertThat(parked.path("destination").asText()).isEqualTo("dagster");
        assertThat(parked.path("type").asText()).isEqualTo("dagster.AssetMaterialization");
        assertThat(parked.path("status").asInt()).isEqualTo(400);
        assertThat(parked.path("reply").asText()).contains(reason);
        assertThat(refused() - refusedBefore).isEqualTo(1);
        if (HeadlessChromium.available()) {
            // The status page lists it, in a real browser (the .ci/run installs Chromium; skipped where none is).
            String dom = HeadlessChromium.dumpDom(page.toString().replace("localhost", "127.0.0.1"));
            String section = dom.substring(dom.indexOf("id=\"refused-reports\""));
            assertThat(section).contains("data-event-id=\"" + parked.path("eventId").asText() + "\"")
                    .contains("<td>400</td>").contains(reason);
        }

        // The relay goes on: the next load's report is delivered, and the parked one was not posted again.
        dagster.answerAllWith200();
        String nextLoad = load();
        dagster.await(r -> nextLoad.equals(dataVersion(r)) && r.status() == 200, PATIENCE);
        assertThat(dagster.requests(r -> refusedLoad.equals(dataVersion(r)))).hasSize(1);
        assertThat(parkedReport(refusedLoad)).isNotNull();
        assertThat(queryLong(DuckloadTestResource.database(), "SELECT count(*) FROM duckload_outbox WHERE load_id = ?"
                + " AND destination = 'dagster' AND sent_at IS NULL AND refused_status = 400", refusedLoad))
                .isEqualTo(1);

        // Re-sending needs the operator role.
        given().post("/reports/refused/resend").then().statusCode(401);
        given().auth().oauth2(Credentials.token("reader-" + UUID.randomUUID(), "reader"))
                .post("/reports/refused/resend").then().statusCode(403);
        assertThat(dagster.requests(r -> refusedLoad.equals(dataVersion(r)))).hasSize(1);
        int resent = given().auth().oauth2(Credentials.token("op-" + UUID.randomUUID(), Credentials.OPERATOR_ROLE))
                .post("/reports/refused/resend").then().statusCode(200).extract().path("resent");
        assertThat(resent).isGreaterThanOrEqualTo(1);

        dagster.await(r -> refusedLoad.equals(dataVersion(r)) && r.status() == 200, PATIENCE);
        Awaitility.await().atMost(PATIENCE).until(() -> queryLong(DuckloadTestResource.database(),
                "SELECT count(*) FROM duckload_outbox WHERE load_id = ? AND destination = 'dagster'"
                        + " AND sent_at IS NULL", refusedLoad) == 0);
        assertThat(parkedReport(refusedLoad)).isNull();
        assertThat(dagster.requests(r -> refusedLoad.equals(dataVersion(r)))).hasSize(2);
        assertThat(refused() - refusedBefore).isEqualTo(1);
    }

    @Test
    void repliesThatMayChangeAreRetriedUntilAccepted() {
        RecordingHttpServer dagster = DagsterRecorderResource.dagster();
        double refusedBefore = refused();
        Predicate<Recorded> report = r -> r.path().equals(REPORT);
        dagster.answer(once(report), 503, "{\"error\": \"unavailable\"}");
        dagster.answer(once(report), 429, "{\"error\": \"slow down\"}");
        dagster.answer(once(report), 408, "{\"error\": \"timeout\"}");

        String loadId = load();
        dagster.await(r -> loadId.equals(dataVersion(r)) && r.status() == 200, PATIENCE);
        assertThat(dagster.requests(r -> loadId.equals(dataVersion(r))).stream().map(Recorded::status))
                .containsExactly(503, 429, 408, 200);
        assertThat(parkedReport(loadId)).isNull();
        assertThat(refused()).isEqualTo(refusedBefore);
    }

    /** Loads test_csv 2023-01 and returns the load id. */
    private String load() {
        return log.awaitEvent(MATERIALIZED, log.request("test_csv", "2023-01")).path("loadId").asText();
    }

    /** The parked report of {@code loadId} as {@code GET /reports/refused} lists it (no login), or null. */
    private static JsonNode parkedReport(String loadId) {
        JsonNode reports = EventLog.json(given().get("/reports/refused").then().statusCode(200).extract().asString());
        List<JsonNode> matching = StreamSupport.stream(reports.spliterator(), false)
                .filter(r -> loadId.equals(r.path("loadId").asText())).toList();
        assertThat(matching.size()).isLessThanOrEqualTo(1);
        return matching.isEmpty() ? null : matching.get(0);
    }

    private double refused() {
        return registry.get("duckload.reports.refused").tag("destination", "dagster").counter().count();
    }

    /** Matches the first request that {@code match} matches, and no other. */
    private static Predicate<Recorded> once(Predicate<Recorded> match) {
        AtomicBoolean fired = new AtomicBoolean();
        return r -> match.test(r) && fired.compareAndSet(false, true);
    }

    private static String dataVersion(Recorded request) {
        return request.json().path("data_version").asText();
    }
}
