package io.duckload.warehouse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Makes this process the one owner of the DuckDB file before anything else starts: the datasource URL must name
 * the file {@code duckload.database} names, and no other duckload may run on that file. DuckDB's own lock cannot
 * tell: with hold-file=while-busy the file is closed while idle. So duckload holds an OS lock on
 * {@code <file>.owner} for its whole life (the OS drops it when the process dies, even by SIGKILL).
 */
@ApplicationScoped
public class DatabaseOwner {

    static final String URL_KEY = "quarkus.datasource.jdbc.url";
    private static final Logger LOG = Logger.getLogger(DatabaseOwner.class);
    private static final String PREFIX = "jdbc:duckdb:";

    private final Path database;
    private final String jdbcUrl;
    private FileChannel channel;

    public DatabaseOwner(DuckloadConfig config, @ConfigProperty(name = URL_KEY) String jdbcUrl) {
        this.database = config.database().toAbsolutePath().normalize();
        this.jdbcUrl = jdbcUrl;
    }

    /** Before reactive messaging (LIBRARY_BEFORE) joins the consumer group and before the writer opens the file. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent start) throws IOException {
        disagreement(jdbcUrl, database).ifPresent(message -> {
            throw new IllegalStateException(message);
        });
        Files.createDirectories(database.getParent());
        Path ownerFile = ownerFile(database);
        channel = FileChannel.open(ownerFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by an earlier application in this same JVM (tests)
        }
        if (lock == null) {
            String holder = Files.readString(ownerFile, StandardCharsets.UTF_8).strip();
            channel.close();
            String message = ("DUCKLOAD_ALREADY_RUNNING: another duckload (%s) owns DuckDB file %s (lock %s); this "
                    + "one stops without consuming or writing. One duckload per file and consumer group.")
                    .formatted(holder.isEmpty() ? "unknown pid" : holder, database, ownerFile);
            LOG.error(message);
            throw new IllegalStateException(message);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
        LOG.infof("This duckload (pid %d) owns DuckDB file %s", ProcessHandle.current().pid(), database);
    }

    void onStop(@Observes ShutdownEvent stop) throws IOException {
        if (channel != null) {
            channel.close(); // releases the lock; the file stays, so no one races on its deletion
        }
    }

    /** The file whose OS lock marks the owner of {@code database}. */
    static Path ownerFile(Path database) {
        return database.resolveSibling(database.getFileName() + ".owner");
    }

    /**
     * Why {@code jdbcUrl} cannot serve {@code database}, if it cannot: it must be a DuckDB URL naming the same file
     * (settings after {@code ;} or {@code ?} aside).
     */
    static Optional<String> disagreement(String jdbcUrl, Path database) {
        Path expected = database.toAbsolutePath().normalize();
        String named = jdbcUrl.startsWith(PREFIX) ? jdbcUrl.substring(PREFIX.length()).split("[;?]", 2)[0] : "";
        if (!named.isBlank() && !named.startsWith(":memory:")
                && Path.of(named).toAbsolutePath().normalize().equals(expected)) {
            return Optional.empty();
        }
        return Optional.of(("%s=%s does not name the DuckDB file of duckload.database=%s (%s). Set only "
                + "duckload.database (DUCKLOAD_DATABASE): the datasource URL follows it (jdbc:duckdb:${duckload.database})")
                .formatted(URL_KEY, jdbcUrl, database, expected));
    }
}
