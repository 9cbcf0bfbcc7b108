package io.duckload.warehouse;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.duckload.catalog.CatalogException;
import io.duckload.catalog.DuckDbConfig;
import io.duckload.catalog.DuckloadConfig;

/**
 * The DuckDB file's storage format (issue 31): which DuckDB releases can open it. duckload creates the file with
 * {@code duckload.duckdb.storage-version} and never rewrites an existing file into another format; at start it logs
 * the file's format and warns, with the way to convert it, when the file is newer than the setting (its readers
 * then need a newer DuckDB than the setting promises).
 */
@ApplicationScoped
public class StorageVersion {

    private static final Logger LOG = Logger.getLogger(StorageVersion.class);
    private static final String LATEST = "latest";
    private static final Pattern RELEASE = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)");

    private final String setting;
    private final Path file;
    /** The file's format as DuckDB reports it (e.g. {@code v1.4.0+}), once the writer attached the file. */
    private volatile String found;

    public StorageVersion(DuckloadConfig config) {
        this.setting = config.duckdb().storageVersion();
        this.file = config.database().toAbsolutePath();
    }

    /** The configured value: the format of a file duckload creates. */
    public String setting() {
        return setting;
    }

    /**
     * The file's storage version as DuckDB reports it, e.g. {@code v1.4.0+}: readable by that release and newer;
     * known once the writer attached the file (at start).
     */
    public Optional<String> found() {
        return Optional.ofNullable(found);
    }

    /** Whether the file, as found, needs a newer reader than a file created with the setting. */
    public boolean newerThanSetting() {
        return found().filter(version -> newer(version, setting)).isPresent();
    }

    /** The ATTACH options of the file: its storage version when duckload creates it, none for an existing file. */
    String attachOptions(boolean creating) {
        // Validated by DuckDbConfig (latest or vN.N.N), so safe as a SQL string literal.
        return creating ? " (STORAGE_VERSION '" + setting + "')" : "";
    }

    /**
     * Stops the start, naming the key, if the DuckDB duckload runs does not know the configured release (its
     * message lists the ones it knows). Checked on an in-memory database of the writer's instance, whether or not
     * the file exists yet.
     */
    void checkKnown(Connection instance) {
        try (Statement statement = instance.createStatement()) {
            statement.execute("ATTACH ':memory:' AS duckload_storage_check" + attachOptions(true));
            statement.execute("DETACH duckload_storage_check");
        } catch (SQLException e) {
            throw new CatalogException(DuckDbConfig.STORAGE_VERSION_KEY, "DuckDB refuses '" + setting + "': "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * Once per start, after the first attach: reads the file's storage version, logs it and warns when it is newer
     * than the setting. {@code created}: the attach created the file.
     */
    void inspect(Connection connection, String alias, boolean created) throws SQLException {
        if (found != null && !created) {
            return;
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT map_extract_value(tags, "
                + "'storage_version') FROM duckdb_databases() WHERE database_name = ?")) {
            query.setString(1, alias);
            try (ResultSet row = query.executeQuery()) {
                found = row.next() && row.getString(1) != null ? row.getString(1) : "unknown";
            }
        }
        if (created) {
            LOG.infof("DuckDB file %s created with storage version %s (%s=%s): readable by DuckDB %s and newer",
                    file, found, DuckDbConfig.STORAGE_VERSION_KEY, setting, found.replace("+", ""));
        } else if (newer(found, setting)) {
            LOG.warnf("DuckDB file %s has storage version %s, newer than %s=%s: readers older than DuckDB %s cannot "
                    + "open it. duckload keeps the file's format (it never rewrites the file). To convert it, with "
                    + "duckload stopped: ATTACH '<file>' AS old (READ_ONLY); ATTACH '<new file>' AS new "
                    + "(STORAGE_VERSION '%s'); COPY FROM DATABASE old TO new; then put the new file (and no WAL) in "
                    + "its place (docs/duckdb-file.md)", file, found, DuckDbConfig.STORAGE_VERSION_KEY, setting,
                    found.replace("+", ""), setting);
        } else {
            LOG.infof("DuckDB file %s has storage version %s: readable by DuckDB %s and newer", file, found,
                    found.replace("+", ""));
        }
    }

    /**
     * Whether a file of storage version {@code file} (DuckDB's tag, {@code v1.4.0+}) needs a newer reader than a
     * file created with {@code setting} would; an unknown version is never taken for newer.
     */
    static boolean newer(String file, String setting) {
        if (LATEST.equals(setting)) {
            return false;
        }
        Optional<int[]> fileRelease = release(file);
        Optional<int[]> settingRelease = release(setting);
        return fileRelease.isPresent() && settingRelease.isPresent()
                && Arrays.compare(fileRelease.get(), settingRelease.get()) > 0;
    }

    private static Optional<int[]> release(String version) {
        Matcher matcher = RELEASE.matcher(String.valueOf(version));
        if (!matcher.lookingAt()) {
            return Optional.empty();
        }
        return Optional.of(new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3))});
    }
}
