package io.duckload.api;

import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.duckload.testing.Browser;
import io.duckload.testing.Credentials;
import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.KafkaFlowTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With the reads closed, the page, its scripts and the summary need a login; a basic-auth login draws the page. */
@QuarkusTest
@TestProfile(StatusPageClosedReadsTest.ClosedReads.class)
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class StatusPageClosedReadsTest extends KafkaFlowTest {

    /** {@code quarkus.http.auth.permission.reads.policy=authenticated}, as the README says to close the reads. */
    public static class ClosedReads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.auth.permission.reads.policy", "authenticated");
        }
    }

    @TestHTTPResource("/")
    URL page;

    @Test
    void thePageNeedsALoginAndDrawsWithOne() {
        for (String path : List.of("/", "/index.html", "/status.js", "/calendar.js", "/charts.js", "/status.css",
                "/datasets", "/datasets/taxi_trips/summary")) {
            given().get(path).then().statusCode(401);
            given().header("Authorization", Credentials.basicHeader()).get(path).then().statusCode(200);
        }
        Assumptions.assumeTrue(Browser.available(), "needs " + Browser.CHROMIUM + " and " + Browser.DRIVER);
        log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-02-01"));
        String url = page.toString().replace("localhost", "127.0.0.1");

        try (Browser browser = new Browser(1280, 900)) {
            List<Map<String, Object>> cells = browser.authorization(Credentials.basicHeader()).open(url).rows("""
                    return [...document.querySelectorAll("section[data-dataset='taxi_trips'] .cell")]
                      .map(c => ({ key: c.dataset.key, status: c.dataset.status }));""");
            assertThat(cells).contains(Map.of("key", "2023-02-01", "status", "materialized"));
            assertThat(browser.script("return document.getElementById('error').textContent")).isEqualTo("");
        }
    }
}
