package io.duckload.api;

import static io.duckload.testing.DuckloadTestResource.DAILY_DAYS;
import static io.duckload.testing.DuckloadTestResource.DAILY_START;
import static io.duckload.testing.EventLog.FAILED;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

import io.duckload.testing.EventLog;

/**
 * The days of {@code daily_tiny} as the status page test loads them, by day index: some never requested, some
 * failed (no file; one after an earlier load), some with a warn check failing, a dip of 1-row days among 5 to 11.
 */
final class DailyPlan {

    /** Loaded, then requested again without its file: failed, with the rows of its earlier load. */
    static final int RELOAD_FAILED = 800;
    private static final IntPredicate NEVER = i -> between(i, 100, 105) || between(i, 500, 529) || i >= 990;
    private static final IntPredicate MISSING = i -> between(i, 200, 202) || i == 700;
    private static final Set<Integer> WARNED = Set.of(300, 301, 650);
    private static final IntPredicate DIP = i -> between(i, 400, 409);

    private DailyPlan() {
    }

    /** Writes the files, requests every day but the never requested ones, and waits for every answer. */
    static DailyPlan load(EventLog log, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < DAILY_DAYS; i++) {
            if (!NEVER.test(i) && !MISSING.test(i)) {
                Files.writeString(file(dir, i), csv(i));
            }
        }
        List<String> requested = IntStream.range(0, DAILY_DAYS).filter(NEVER.negate()).mapToObj(DailyPlan::key).toList();
        log.awaitAllAnswered(log.requestAll("daily_tiny", requested), Duration.ofMinutes(5));
        Files.delete(file(dir, RELOAD_FAILED));
        log.awaitEvent(FAILED, log.request("daily_tiny", key(RELOAD_FAILED)));
        return new DailyPlan();
    }

    private static Path file(Path dir, int day) {
        return dir.resolve("tiny_" + key(day) + ".csv");
    }

    /** 5 to 11 rows (1 in the dip); on a warned day one value is above the check's 100. */
    private static String csv(int day) {
        int rows = rows(day);
        StringBuilder csv = new StringBuilder("id,v\n");
        for (int id = 0; id < rows; id++) {
            csv.append(id).append(',').append(id == 0 && WARNED.contains(day) ? 500.0 : id * 1.5).append('\n');
        }
        return csv.toString();
    }

    private static int rows(int day) {
        return DIP.test(day) ? 1 : 5 + day % 7;
    }

    /** The rows of a loaded day's file. */
    int rows(String key) {
        return rows(day(key));
    }

    static String key(int day) {
        return DAILY_START.plusDays(day).toString();
    }

    private static boolean between(int i, int first, int last) {
        return i >= first && i <= last;
    }

    private static int day(String key) {
        return (int) DAILY_START.until(LocalDate.parse(key), ChronoUnit.DAYS);
    }

    List<String> keys() {
        return keys(i -> true);
    }

    String status(String key) {
        int day = day(key);
        return NEVER.test(day) ? "never" : MISSING.test(day) || day == RELOAD_FAILED ? "failed" : "materialized";
    }

    boolean warned(String key) {
        return WARNED.contains(day(key));
    }

    boolean dip(String key) {
        return DIP.test(day(key));
    }

    /** Days with a committed load: every requested day whose file existed. */
    List<String> loaded() {
        return keys(i -> !NEVER.test(i) && !MISSING.test(i));
    }

    List<String> warnedKeys() {
        return keys(WARNED::contains);
    }

    List<String> failedWithoutLoad() {
        return keys(MISSING);
    }

    /** Failed days, then days with a failed warn check, each oldest first. */
    List<String> problemKeys() {
        List<String> keys = new ArrayList<>(keys(i -> MISSING.test(i) || i == RELOAD_FAILED));
        keys.addAll(warnedKeys());
        return keys;
    }

    /** The summary's ranges as the page writes them. */
    List<String> ranges() {
        return List.of(key(100) + " … " + key(105) + " never requested (6)", key(200) + " … " + key(202) + " failed (3)",
                key(500) + " … " + key(529) + " never requested (30)", key(700) + " failed", key(800) + " failed",
                key(990) + " … " + key(999) + " never requested (10)");
    }

    long months() {
        return keys().stream().map(k -> k.substring(0, 7)).distinct().count();
    }

    private static List<String> keys(IntPredicate days) {
        return IntStream.range(0, DAILY_DAYS).filter(days).mapToObj(DailyPlan::key).toList();
    }
}
