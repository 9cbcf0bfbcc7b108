package io.duckload.warehouse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.duckload.catalog.Dataset;
import io.duckload.source.StagedSource;

/**
 * The columns a staged source file has, as DuckDB's reader sees them, and a fingerprint of them, so that consumers
 * see when an upstream file's layout drifts. Also tells which of the dataset's optional source columns it lacks.
 *
 * @param columns column name to DuckDB type, in file order
 */
public record SourceSchema(Map<String, String> columns) {

    /** Describes {@code source} with the dataset's reader (metadata only for parquet; a sniff for CSV). */
    static SourceSchema describe(Connection connection, Dataset dataset, StagedSource source) throws SQLException {
        try (PreparedStatement describe = connection.prepareStatement(describeSql(dataset, source))) {
            return describe(describe, source);
        }
    }

    /**
     * The statement that describes a source of {@code dataset} like {@code source}: the same for every file of one
     * format and reader options, the file's path its one parameter.
     */
    static String describeSql(Dataset dataset, StagedSource source) {
        return "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "
                + source.format().reader(dataset.readerOptions()) + ")";
    }

    /** Describes {@code source} with a statement prepared from {@link #describeSql}. */
    static SourceSchema describe(PreparedStatement describe, StagedSource source) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        describe.setString(1, source.file().toString());
        try (ResultSet rs = describe.executeQuery()) {
            while (rs.next()) {
                columns.put(rs.getString(1), rs.getString(2));
            }
        }
        return new SourceSchema(columns);
    }

    /**
     * {@code sha256:<hex>} of the lines {@code name type}, in file order: equal layouts give equal fingerprints, an
     * added, removed, renamed, reordered or retyped column changes it.
     */
    String fingerprint() {
        String canonical = columns.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + "\n")
                .collect(Collectors.joining());
        try {
            return "sha256:" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The columns of {@code optional} this file lacks; DuckDB matches names without regard to case. */
    List<String> lacking(List<String> optional) {
        var present = columns.keySet().stream().map(c -> c.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return optional.stream().filter(c -> !present.contains(c.toLowerCase(Locale.ROOT))).toList();
    }
}
