package io.duckload.api;

import java.time.LocalDate;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.duckload.catalog.Dataset;
import io.duckload.catalog.Locations;
import io.duckload.catalog.PartitionScheme;

/**
 * A dataset definition as the API shows it.
 *
 * @param name dataset name, as requests name it
 * @param table target table
 * @param mode {@code replace-table} or {@code replace-partition}
 * @param partitioning how the dataset is cut into partitions; absent for an unpartitioned dataset
 * @param source location template of the source file, redacted ({@link Locations})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetView(String name, String table, String mode, Partitioning partitioning, String source) {

    static DatasetView of(Dataset dataset) {
        return new DatasetView(dataset.name(), dataset.table(), lowerKebab(dataset.mode().name()),
                dataset.partitioning().map(Partitioning::of).orElse(null), Locations.redact(dataset.source().toString()));
    }

    /** Granularity ({@code daily}, {@code monthly}), first partition start and exclusive end, if any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Partitioning(String granularity, LocalDate start, LocalDate end, String column) {

        static Partitioning of(PartitionScheme scheme) {
            return new Partitioning(lowerKebab(scheme.granularity().name()), scheme.start(),
                    scheme.end().orElse(null), scheme.column());
        }
    }

    private static String lowerKebab(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
