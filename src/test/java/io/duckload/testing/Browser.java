package io.duckload.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

/**
 * Debian's headless {@code /usr/bin/chromium} driven through its {@code /usr/bin/chromedriver} by Selenium (which
 * then downloads nothing): the page as a user's browser lays it out, its scripts, styles and screenshots.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final Path profile;
    private final ChromeDriver driver;

    public Browser(int width, int height) {
        try {
            profile = Files.createTempDirectory("duckload-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root in a container: no sandbox; and nothing that reaches beyond 127.0.0.1.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    public static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    }

    /**
     * Sends {@code authorization} with every request from now on, the page's own fetches included, as a browser does
     * once its user logged in at the basic-auth prompt.
     */
    public Browser authorization(String authorization) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", authorization)));
        return this;
    }

    /** Opens {@code url} and waits until the status page says it rendered. */
    public Browser open(String url) {
        driver.get(url);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> "true".equals(driver.findElement(By.tagName("body")).getAttribute("data-rendered")));
        return this;
    }

    /** Runs {@code script} in the page ({@code arguments[i]} are {@code args}) and returns its result. */
    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Moves the mouse onto the centre of the element {@code css} selects. */
    public void hover(String css) {
        new Actions(driver).moveToElement(driver.findElement(By.cssSelector(css))).perform();
    }

    /** {@link #script} for a script that returns an array of objects. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> rows(String script, Object... args) {
        return (List<Map<String, Object>>) script(script, args);
    }

    public String title() {
        return driver.getTitle();
    }

    /** A PNG of the viewport, or of the whole element {@code css} selects (beyond the viewport too). */
    public void screenshot(Path file, String css) {
        byte[] png;
        if (css == null) {
            png = driver.getScreenshotAs(OutputType.BYTES);
        } else {
            Object clip = script("const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                    + " return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height, scale: 1 };",
                    css);
            Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                    Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
            png = Base64.getDecoder().decode((String) shot.get("data"));
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, png);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp leftover only
        }
    }
}
