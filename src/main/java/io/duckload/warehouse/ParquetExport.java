package io.duckload.warehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.Partition;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/**
 * Writes a load's partition (or whole table) as {@code <root>/<table>/<column>=<value>/data.parquet} (or
 * {@code <root>/<table>/data.parquet}): first to a temporary file in the same directory, inside the load's
 * transaction so it sees the new rows, then renamed over the old file in one atomic step, so a reader sees the old
 * file or the new one, never half of one.
 */
final class ParquetExport {

    /** What a partition value may be to name a directory: no separators, no "..", nothing hidden. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}");

    private final Path temporary;
    private final Path target;

    private ParquetExport(Path temporary, Path target) {
        this.temporary = temporary;
        this.target = target;
    }

    /** Copies what the load left in the table to a temporary file beside the target. */
    static ParquetExport write(Connection connection, Path root, Dataset dataset, Optional<Partition> partition,
            String loadId) {
        Path directory = root.toAbsolutePath().normalize().resolve(dataset.table());
        String select = "SELECT * FROM " + Sql.quote(dataset.table());
        String value = null;
        if (dataset.partitioning().isPresent()) {
            value = partition.orElseThrow().value();
            if (!SEGMENT.matcher(value).matches()) {
                throw new LoadException(ErrorCode.INTERNAL, "partition value \"" + value
                        + "\" cannot name an export directory; change the dataset's value-format");
            }
            String column = dataset.partitioning().get().column();
            directory = directory.resolve(column + "=" + value);
            select += " WHERE " + Sql.quote(column) + " = ?";
        }
        ParquetExport export = new ParquetExport(directory.resolve(".data.parquet." + loadId + ".tmp"),
                directory.resolve("data.parquet"));
        try {
            Files.createDirectories(directory);
            // COPY takes no parameter for its file name; the path is built from configuration and checked values.
            String sql = "COPY (" + select + ") TO '" + export.temporary.toString().replace("'", "''")
                    + "' (FORMAT parquet)";
            try (PreparedStatement copy = connection.prepareStatement(sql)) {
                if (value != null) {
                    copy.setString(1, value);
                }
                copy.execute();
            }
            return export;
        } catch (IOException | SQLException e) {
            export.discard();
            throw new LoadException(ErrorCode.INTERNAL, "parquet export to " + export.target + " failed: "
                    + e.getMessage(), e);
        }
    }

    Path target() {
        return target;
    }

    /** Replaces the target by the new file in one rename. */
    void publish() {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            discard();
            throw new LoadException(ErrorCode.INTERNAL, "cannot publish parquet export " + target + ": "
                    + e.getMessage(), e);
        }
    }

    void discard() {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // A leftover hidden temporary file is harmless and replaced by the next load's.
        }
    }
}
