package io.duckload.api;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.KafkaFlowTest;
import io.duckload.testing.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The status page in a real headless Chromium: the grid shows each partition's status after loads and a failure. */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class StatusPageTest extends KafkaFlowTest {

    private static final Pattern CELL = Pattern.compile(
            "<div class=\"cell status-(\\w+)\" data-partition=\"([^\"]*)\" data-status=\"(\\w+)\" title=\"([^\"]*)\"");

    @TestHTTPResource("/")
    URL page;

    @Test
    void theGridShowsMaterializedFailedAndNeverRequestedPartitions() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.available(), "needs " + HeadlessChromium.BINARY);
        log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-01-01"));
        log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-03-01"));
        log.awaitEvent(FAILED, log.request("taxi_trips", "2023-06-01"));
        log.awaitEvent(MATERIALIZED, log.request("taxi_zones", null));
        String url = page.toString().replace("localhost", "127.0.0.1");

        String dom = HeadlessChromium.dumpDom(url);
        Path screenshot = ServiceProcess.buildDir().resolve("screenshots/status.png");
        HeadlessChromium.screenshot(url, screenshot);
        Files.writeString(screenshot.resolveSibling("status.html"), dom);

        assertThat(dom).contains("data-rendered=\"true\"");
        String trips = dom.substring(dom.indexOf("data-dataset=\"taxi_trips\""));
        Map<String, String> statuses = new HashMap<>();
        Map<String, String> titles = new HashMap<>();
        Matcher cell = CELL.matcher(trips.substring(0, trips.indexOf("<table")));
        while (cell.find()) {
            assertThat(cell.group(1)).isEqualTo(cell.group(3));
            statuses.put(cell.group(2), cell.group(3));
            titles.put(cell.group(2), cell.group(4));
        }
        assertThat(statuses).containsEntry("2023-01-01", "materialized").containsEntry("2023-03-01", "materialized")
                .containsEntry("2023-06-01", "failed").containsEntry("2023-11-01", "never");
        assertThat(titles.get("2023-03-01")).contains("2000 rows").contains("last load 20");
        assertThat(titles.get("2023-06-01")).contains("SOURCE_FORMAT_INVALID");
        assertThat(dom).containsPattern("<tr class=\"status-row-failed\" data-partition=\"2023-06-01\">");
        assertThat(dom).contains("class=\"cell status-materialized\" data-partition=\"\"");
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }

    @Test
    void htmlInAFailureMessageIsShownAsText() {
        Assumptions.assumeTrue(HeadlessChromium.available(), "needs " + HeadlessChromium.BINARY);
        var failed = log.awaitEvent(FAILED, log.request("html_value", null));
        assertThat(failed.path("error").path("message").asText()).contains(DuckloadTestResource.HTML_VALUE);

        String dom = HeadlessChromium.dumpDom(page.toString().replace("localhost", "127.0.0.1"));

        // The page's own script ran under the Content-Security-Policy and rendered the failure...
        assertThat(dom).contains("data-rendered=\"true\"").contains("data-dataset=\"html_value\"");
        // ...as a text node: its markup escaped, no element made of it, no handler run.
        assertThat(dom).contains(DuckloadTestResource.HTML_VALUE.replace("<", "&lt;").replace(">", "&gt;"));
        String markup = dom.replaceAll("\"[^\"]*\"", "\"\"");
        assertThat(markup).doesNotContain("<img").doesNotContain("<b>");
        assertThat(dom).contains("<title>duckload – partition status</title>").doesNotContain("127.0.0.1</title>");
    }
}
