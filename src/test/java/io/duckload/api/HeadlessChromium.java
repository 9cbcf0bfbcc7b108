package io.duckload.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs Debian's {@code /usr/bin/chromium} headless on one page: its DOM after all its scripts ran. */
public final class HeadlessChromium {

    public static final Path BINARY = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** The page's DOM once its scripts settled (fetches included). */
    public static String dumpDom(String url) {
        return run(url, "--dump-dom");
    }

    private static String run(String url, String... mode) {
        Path profile = null;
        Path output = null;
        try {
            profile = Files.createTempDirectory("duckload-chromium-");
            output = Files.createTempFile("duckload-chromium-", ".out");
            List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
                    "--virtual-time-budget=10000"));
            command.addAll(List.of(mode));
            command.add(url);
            Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("chromium did not finish within 90 s: " + command);
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run chromium", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            delete(profile);
            delete(output);
        }
    }

    private static void delete(Path path) {
        if (path == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp leftover only
        }
    }
}
