package io.duckload.warehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

/**
 * DuckDB's JDBC driver unpacks its 70 MB JNI library into {@code java.io.tmpdir} at every start and deletes the copy
 * only when the JVM exits normally: every killed or crashed run left one behind (161 copies, 11 GB, in this
 * machine's /tmp after the crash tests). Once the library is mapped the file is not needed: removing it leaves the
 * mapping intact, so a process that dies later leaves nothing.
 */
final class UnpackedLibrary {

    private static final Logger LOG = Logger.getLogger(UnpackedLibrary.class);
    /** The copy's name: {@code Files.createTempFile("libduckdb_java", ".so")}; a mapping line ends with its path. */
    private static final Pattern COPY = Pattern.compile("\\s(/\\S*/libduckdb_java\\d+\\.so)$");

    private UnpackedLibrary() {
    }

    /**
     * Removes the copies that {@code maps} (a {@code /proc/<pid>/maps}) shows mapped from {@code tmpdir}; none
     * where there is no such file (another OS, or a library the driver found without unpacking).
     */
    static List<Path> remove(Path maps, Path tmpdir) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isReadable(maps)) {
            return removed;
        }
        try {
            for (String line : Files.readAllLines(maps)) {
                Matcher copy = COPY.matcher(line);
                if (copy.find()) {
                    Path path = Path.of(copy.group(1));
                    if (tmpdir.equals(path.getParent()) && Files.deleteIfExists(path)) {
                        removed.add(path);
                    }
                }
            }
        } catch (IOException e) {
            LOG.debugf("DuckDB's unpacked library was left in %s: %s", tmpdir, e);
        }
        return removed;
    }

    /** {@link #remove} for this process. */
    static void removeOwn() {
        Path tmpdir = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        try {
            tmpdir = tmpdir.toRealPath(); // the mappings name the real path
        } catch (IOException e) {
            return;
        }
        remove(Path.of("/proc/self/maps"), tmpdir)
                .forEach(path -> LOG.debugf("Removed DuckDB's unpacked library %s (it stays mapped)", path));
    }
}
