package io.duckload.events;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

import io.duckload.catalog.Locations;

/**
 * OpenLineage dataset names ({@code website/docs/spec/naming.md} in the OpenLineage repository, and its Java
 * client's {@code FilesystemDatasetUtils}): a source file is {@code s3://<bucket>} / {@code <object key>},
 * {@code <scheme>://<host>} / {@code <path>} for http(s), {@code file} / {@code <absolute path>} on this machine; the
 * DuckDB table is named exactly as OpenLineage's dbt integration names a dbt-duckdb relation on the same file, so
 * that a backend joins duckload's output to the dbt models reading it.
 */
final class LineageNames {

    /** The schema duckload creates its tables in. */
    static final String SCHEMA = "main";
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

    private LineageNames() {
    }

    /** A dataset's namespace and name. */
    record Name(String namespace, String name) {
    }

    /**
     * The source at {@code location} (a URL or a local path), redacted: no user-info, query or fragment. Read as
     * text, not as a {@link java.net.URI}: object keys may hold spaces (the TLC bucket's {@code trip data/}).
     */
    static Name source(String location) {
        String redacted = Locations.redact(location);
        if (redacted.endsWith(Locations.QUERY_REDACTED)) {
            redacted = redacted.substring(0, redacted.length() - Locations.QUERY_REDACTED.length());
        }
        int separator = redacted.indexOf("://");
        if (separator > 1 && SCHEME.matcher(redacted.substring(0, separator)).matches()) {
            String scheme = redacted.substring(0, separator).toLowerCase(Locale.ROOT);
            String rest = redacted.substring(separator + 3);
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            String path = slash < 0 ? "" : rest.substring(slash);
            if (scheme.matches("s3[an]?")) {
                // FilesystemDatasetUtils: s3a and s3n are S3; the name is the object key, without a leading /.
                return new Name("s3://" + authority, path.length() <= 1 ? "/" : path.substring(1));
            }
            if ("file".equals(scheme) && authority.isEmpty()) {
                return new Name("file", absolute(path));
            }
            return new Name(scheme + "://" + authority, path.isEmpty() ? "/" : path);
        }
        if (redacted.startsWith("file:")) {
            return new Name("file", absolute(redacted.substring("file:".length())));
        }
        return new Name("file", absolute(redacted));
    }

    /**
     * The table {@code table} of the DuckDB file {@code database}, as OpenLineage's dbt integration names a
     * dbt-duckdb relation ({@code integration/common/openlineage/common/provider/dbt/processor.py}): namespace
     * {@code duckdb://<profile path>} ({@code extract_namespace}), name {@code <database>.<schema>.<table>}
     * ({@code _format_dataset_name}), where dbt-duckdb's database is the file name without its extension
     * ({@code DuckDBCredentials.__pre_deserialize__}: {@code os.path.splitext(os.path.basename(path))[0]}). The path
     * is the file's absolute path, the one {@code PartitionMaterialized.database} announces: a dbt profile whose
     * {@code path} is that path gets the same names.
     */
    static Name table(Path database, String table) {
        Path file = database.toAbsolutePath();
        return new Name("duckdb://" + file, String.join(".", stem(file.getFileName().toString()), SCHEMA, table));
    }

    /** Python's {@code os.path.splitext(name)[0]}: drops the last extension; leading dots are not one. */
    static String stem(String name) {
        int start = 0;
        while (start < name.length() && name.charAt(start) == '.') {
            start++;
        }
        int dot = name.lastIndexOf('.');
        return dot > start ? name.substring(0, dot) : name;
    }

    private static String absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }
}
