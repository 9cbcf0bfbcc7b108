package io.duckload.api;

import static io.duckload.testing.DuckloadTestResource.DAILY_DAYS;
import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.duckload.testing.Browser;
import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.KafkaFlowTest;
import io.duckload.testing.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The status page in a real headless Chromium (Selenium, Debian's chromedriver): 1,000 daily partitions of real
 * loads with gaps, failures and warnings as a calendar, summary, charts and failure list; the monthly grid; HTML in
 * a failure shown as text. Screenshots and a report (render time, bytes fetched) go to target/screenshots.
 */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class StatusPageTest extends KafkaFlowTest {

    /** Cells, as the page lays them out: key, status, label, tooltip, whether the label is cut, position, colour. */
    private static final String CELLS = """
            return [...document.querySelectorAll(arguments[0] + ' .cell')].map(c => {
              const r = c.getBoundingClientRect();
              return { key: c.dataset.key, status: c.dataset.status, warned: c.dataset.warned === 'true',
                       text: c.textContent, aria: c.getAttribute('aria-label'), title: c.title,
                       cut: c.scrollWidth > c.clientWidth || c.scrollHeight > c.clientHeight,
                       x: Math.round(r.left), y: Math.round(r.top), background: getComputedStyle(c).backgroundColor };
            });""";
    private static final String MARKS = """
            return [...document.querySelectorAll(arguments[0])].map(m => ({ key: m.dataset.key,
              kind: m.getAttribute('class'), height: m.getBBox().height, width: m.getBBox().width }));""";
    private static final String TOP = "return Math.round(document.querySelector(arguments[0]).getBoundingClientRect().top);";
    private static final Path SCREENSHOTS = ServiceProcess.buildDir().resolve("screenshots");

    @TestHTTPResource("/")
    URL page;

    @Test
    void aThousandDailyPartitionsAsCalendarSummaryChartsAndFailuresFirst() throws Exception {
        Assumptions.assumeTrue(Browser.available(), "needs " + Browser.CHROMIUM + " and " + Browser.DRIVER);
        DailyPlan plan = DailyPlan.load(log, DuckloadTestResource.directory().resolve("daily"));
        loadMonthly();
        assertThat(plan.loaded()).hasSize(950);

        try (Browser browser = new Browser(1280, 1500)) {
            browser.open(url());
            String daily = "section[data-dataset='daily_tiny']";
            browser.screenshot(SCREENSHOTS.resolve("status-page.png"), null);
            browser.screenshot(SCREENSHOTS.resolve("status-daily.png"), daily);

            // Every cell: its full key (distinct, all 1,000 days), its status, its day as an uncut label.
            List<Map<String, Object>> cells = browser.rows(CELLS, daily + " .calendar");
            assertThat(cells).extracting(c -> c.get("key")).containsExactlyElementsOf(plan.keys());
            for (Map<String, Object> cell : cells) {
                String key = (String) cell.get("key");
                assertThat(cell.get("status")).as(key).isEqualTo(plan.status(key));
                assertThat(cell.get("warned")).as(key).isEqualTo(plan.warned(key));
                assertThat(cell.get("text")).as(key).isEqualTo(String.valueOf(Integer.parseInt(key.substring(8))));
                assertThat((String) cell.get("aria")).as(key).startsWith(key + " ");
                assertThat((String) cell.get("title")).as(key).startsWith(key + ": ");
                assertThat(cell.get("cut")).as(key).isEqualTo(false);
                assertThat(cell.get("background")).as(key).isEqualTo(Map.of("materialized", "rgb(46, 157, 70)",
                        "failed", "rgb(209, 52, 58)", "never", "rgb(185, 190, 196)").get(plan.status(key)));
            }
            // A calendar: a row per month (same y), the same day of every month in one column (same x).
            assertThat(groupSizes(cells, c -> ((String) c.get("key")).substring(0, 7), c -> c.get("y"))).allMatch(n -> n == 1);
            assertThat(groupSizes(cells, c -> ((String) c.get("key")).substring(8), c -> c.get("x"))).allMatch(n -> n == 1);
            assertThat(cells.stream().map(c -> c.get("y")).distinct().count()).isEqualTo(plan.months());

            // The summary line: counts by status, and the failed and never requested ranges in order.
            assertThat(browser.script("return document.querySelector(arguments[0]).textContent", daily + " .counts"))
                    .isEqualTo("1,000 partitions: 949 materialized (3 warned), 5 failed, 46 never requested");
            assertThat(browser.rows("return [...document.querySelectorAll(arguments[0])].map(li => ({t: li.textContent}))",
                    daily + " .ranges li")).extracting(r -> r.get("t")).containsExactlyElementsOf(plan.ranges());

            // Charts: one bar per partition with a committed load, warned and failed ones marked; the dip shows.
            for (String field : List.of("rows", "durationMs")) {
                List<Map<String, Object>> bars = browser.rows(MARKS, daily + " svg[data-field='" + field + "'] rect.mark");
                assertThat(bars).extracting(b -> b.get("key")).containsExactlyInAnyOrderElementsOf(plan.loaded());
                assertThat(bars).filteredOn(b -> ((String) b.get("kind")).contains("warned")).extracting(b -> b.get("key"))
                        .containsExactlyInAnyOrderElementsOf(plan.warnedKeys());
                assertThat(bars).filteredOn(b -> ((String) b.get("kind")).contains("status-failed"))
                        .extracting(b -> b.get("key")).containsExactly(plan.key(DailyPlan.RELOAD_FAILED));
                assertThat(browser.rows(MARKS, daily + " svg[data-field='" + field + "'] rect.tick"))
                        .extracting(b -> b.get("key")).containsExactlyInAnyOrderElementsOf(plan.failedWithoutLoad());
            }
            // Pointing at a bar names it in the chart's caption.
            String warned = plan.warnedKeys().get(0);
            browser.hover(daily + " svg[data-field='rows'] rect.warned[data-key='" + warned + "']");
            assertThat(browser.script("return document.querySelector(arguments[0]).textContent", daily
                    + " .chart-box:first-child figcaption")).isEqualTo("rows per partition · " + warned + ": "
                            + plan.rows(warned) + " rows");
            Map<String, Double> heights = browser.rows(MARKS, daily + " svg[data-field='rows'] rect.mark").stream()
                    .collect(Collectors.toMap(b -> (String) b.get("key"), b -> ((Number) b.get("height")).doubleValue()));
            double lowestNormal = plan.loaded().stream().filter(k -> !plan.dip(k)).mapToDouble(heights::get).min().orElseThrow();
            assertThat(plan.loaded().stream().filter(plan::dip)).allMatch(k -> heights.get(k) < lowestNormal / 2);

            // Failures first: failed partitions (code, message), then failed warn checks, above calendar and table.
            List<Map<String, Object>> problems = browser.rows("""
                    return [...document.querySelectorAll(arguments[0])].map(r => ({ key: r.dataset.key,
                      kind: r.className, code: r.querySelector('.code').textContent,
                      message: r.querySelector('.error').textContent }));""", daily + " .problems tr");
            assertThat(problems).extracting(p -> p.get("key")).containsExactlyElementsOf(plan.problemKeys());
            assertThat(problems).filteredOn(p -> p.get("kind").equals("problem-failed"))
                    .allMatch(p -> p.get("code").equals("SOURCE_NOT_FOUND") && ((String) p.get("message")).contains("tiny_"));
            assertThat(problems).filteredOn(p -> p.get("kind").equals("problem-warned"))
                    .allMatch(p -> p.get("code").equals("check small_values (warn)") && p.get("message").equals("1 violation"));
            long problemsTop = (Long) browser.script(TOP, daily + " .problems");
            assertThat(problemsTop).isLessThan((Long) browser.script(TOP, daily + " .calendar"))
                    .isLessThan((Long) browser.script(TOP, daily + " details.all"));

            report(browser, plan);
        }
    }

    @Test
    void monthlyDatasetsKeepAGridOfMonths() {
        Assumptions.assumeTrue(Browser.available(), "needs " + Browser.CHROMIUM + " and " + Browser.DRIVER);
        loadMonthly();
        try (Browser browser = new Browser(1280, 900)) {
            List<Map<String, Object>> cells = browser.open(url()).rows(CELLS, "section[data-dataset='taxi_trips'] .grid");
            Map<String, Map<String, Object>> byKey = cells.stream()
                    .collect(Collectors.toMap(c -> (String) c.get("key"), Function.identity()));
            // Every month from the dataset's start to the current one, each once, in order.
            List<String> months = Stream.iterate(LocalDate.of(2023, 1, 1), m -> m.plusMonths(1))
                    .takeWhile(m -> !m.isAfter(LocalDate.now(ZoneOffset.UTC))).map(Object::toString).toList();
            assertThat(cells).extracting(c -> c.get("key")).containsExactlyElementsOf(months);
            assertThat(byKey.get("2023-01-01")).containsEntry("status", "materialized").containsEntry("text", "2023-01")
                    .containsEntry("cut", false);
            assertThat((String) byKey.get("2023-03-01").get("title")).contains("2000 rows").contains("last load 20");
            assertThat(byKey.get("2023-06-01")).containsEntry("status", "failed");
            assertThat((String) byKey.get("2023-06-01").get("title")).contains("SOURCE_FORMAT_INVALID");
            assertThat(byKey.get("2023-11-01")).containsEntry("status", "never");
            List<Map<String, Object>> zones = browser.rows(CELLS, "section[data-dataset='taxi_zones'] .grid");
            assertThat(zones).singleElement().satisfies(c -> assertThat(c).containsEntry("key", "")
                    .containsEntry("text", "table").containsEntry("status", "materialized"));
            browser.screenshot(SCREENSHOTS.resolve("status-monthly.png"), "section[data-dataset='taxi_trips']");
        }
    }

    @Test
    void htmlInAFailureMessageIsShownAsText() {
        Assumptions.assumeTrue(Browser.available(), "needs " + Browser.CHROMIUM + " and " + Browser.DRIVER);
        var failed = log.awaitEvent(FAILED, log.request("html_value", null));
        assertThat(failed.path("error").path("message").asText()).contains(DuckloadTestResource.HTML_VALUE);

        try (Browser browser = new Browser(1280, 900)) {
            browser.open(url());
            String section = "section[data-dataset='html_value']";
            // The page's own scripts ran under the Content-Security-Policy and listed the failure...
            assertThat((String) browser.script("return document.querySelector(arguments[0]).textContent",
                    section + " .problems .error")).contains(DuckloadTestResource.HTML_VALUE);
            // ...as text: no element made of it, no handler run.
            assertThat(browser.script("return document.querySelectorAll('img, b').length")).isEqualTo(0L);
            assertThat(browser.title()).isEqualTo("duckload – partition status");
        }
    }

    private void loadMonthly() {
        log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-01-01"));
        log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-03-01"));
        log.awaitEvent(FAILED, log.request("taxi_trips", "2023-06-01"));
        log.awaitEvent(MATERIALIZED, log.request("taxi_zones", null));
    }

    private String url() {
        return page.toString().replace("localhost", "127.0.0.1");
    }

    /** For each group of cells, how many distinct values of {@code value} it has. */
    private static List<Long> groupSizes(List<Map<String, Object>> cells, Function<Map<String, Object>, String> group,
            Function<Map<String, Object>, Object> value) {
        Map<String, List<Object>> groups = new HashMap<>();
        cells.forEach(c -> groups.computeIfAbsent(group.apply(c), g -> new ArrayList<>()).add(value.apply(c)));
        return groups.values().stream().map(v -> v.stream().distinct().count()).toList();
    }

    /** What the page costs, for the docs: not asserted (speed belongs in bin/benchmark). */
    private void report(Browser browser, DailyPlan plan) throws Exception {
        int summaryBytes = given().get("/datasets/daily_tiny/summary").then().statusCode(200).extract().asByteArray().length;
        int fullBytes = given().get("/datasets/daily_tiny/partitions").then().statusCode(200).extract().asByteArray().length;
        List<Long> renders = IntStream.range(0, 3).mapToObj(i -> Long.parseLong((String) browser.open(url())
                .script("return document.body.dataset.renderedMs"))).toList();
        Files.writeString(SCREENSHOTS.resolve("status-page-report.txt"), """
                status page, %d daily partitions of daily_tiny plus the test catalog's other datasets
                navigation start -> drawn (ms), 3 loads: %s
                GET /datasets/daily_tiny/summary: %,d bytes (GET /datasets/daily_tiny/partitions: %,d bytes)
                """.formatted(DAILY_DAYS, renders, summaryBytes, fullBytes));
    }
}
