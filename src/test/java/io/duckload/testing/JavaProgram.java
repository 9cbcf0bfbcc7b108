package io.duckload.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A single-file Java program run in a process of its own, with its output appended to a log file. */
public final class JavaProgram {

    private JavaProgram() {
    }

    /** The test JVM's class path, which holds duckdb_jdbc, kafka-clients and Jackson. */
    public static String testClassPath() {
        return System.getProperty("java.class.path");
    }

    /** The duckdb_jdbc jar alone: what a dbt stand-in needs to open the file. */
    public static String duckdbJar() {
        return Arrays.stream(testClassPath().split(File.pathSeparator)).filter(e -> e.contains("duckdb_jdbc"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no duckdb_jdbc on the test class path"));
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -cp classPath source args...}, output appended to {@code log}. */
    public static Process start(String classPath, Path source, Path log, String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", classPath, source.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    /** Path of a resource file (a single-file program) in the test classes. */
    public static Path resource(String name) {
        return ServiceProcess.buildDir().resolve("test-classes").resolve(name);
    }

    public static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
