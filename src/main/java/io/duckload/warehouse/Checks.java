package io.duckload.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.duckload.catalog.Check;
import io.duckload.catalog.Dataset;
import io.duckload.catalog.Partition;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/**
 * Runs a dataset's checks on the rows a load just wrote, inside the load's transaction: the SQL comes from the
 * catalog, the partition value and window are bound. A failed {@code error} check throws {@code CHECK_FAILED}, which
 * rolls the whole load back.
 */
final class Checks {

    private Checks() {
    }

    static List<CheckResult> run(Connection connection, Dataset dataset, Optional<Partition> partition,
            PartitionLoader.Counts counts) throws SQLException {
        List<CheckResult> results = new ArrayList<>();
        for (Check check : dataset.checks()) {
            results.add(run(connection, dataset, partition, counts, check));
        }
        List<CheckResult> refused = results.stream().filter(CheckResult::refuses).toList();
        if (!refused.isEmpty()) {
            throw new LoadException(ErrorCode.CHECK_FAILED, "the load was rolled back, checks failed: "
                    + refused.stream().map(CheckResult::describe).collect(Collectors.joining("; ")));
        }
        return List.copyOf(results);
    }

    private static CheckResult run(Connection connection, Dataset dataset, Optional<Partition> partition,
            PartitionLoader.Counts counts, Check check) throws SQLException {
        long violations;
        List<Map<String, String>> samples = List.of();
        switch (check.kind()) {
            case MIN_ROWS -> violations = Math.max(0, (long) check.limit() - counts.inserted());
            // The rows deleted are the rows the partition held before this load.
            case MAX_DROP -> violations = Math.max(0,
                    (long) Math.ceil(counts.deleted() * (1 - check.limit())) - counts.inserted());
            default -> {
                List<Object> values = new ArrayList<>();
                String sql = check.violations().orElseThrow().render(name -> {
                    if ("rows".equals(name)) {
                        partition.ifPresent(p -> values.add(p.value()));
                        return dataset.rowsRelation();
                    }
                    return PartitionLoader.placeholder(name, partition.orElseThrow(), values);
                });
                violations = count(connection, Check.countQuery(sql), values);
                if (violations > 0 && !check.sampleColumns().isEmpty()) {
                    samples = samples(connection, Check.sampleQuery(sql, check.sampleColumns()), values);
                }
            }
        }
        return new CheckResult(check.name(), check.severity(), violations == 0, violations, samples);
    }

    private static long count(Connection connection, String sql, List<Object> values) throws SQLException {
        try (PreparedStatement query = bind(connection, sql, values); ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<Map<String, String>> samples(Connection connection, String sql, List<Object> values)
            throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (PreparedStatement query = bind(connection, sql, values); ResultSet rs = query.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnName(i), rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static PreparedStatement bind(Connection connection, String sql, List<Object> values)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }
}
