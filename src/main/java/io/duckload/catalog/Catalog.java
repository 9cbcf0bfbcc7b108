package io.duckload.catalog;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.duckload.catalog.DuckloadConfig.DatasetConfig;
import io.duckload.catalog.DuckloadConfig.PartitioningConfig;
import io.quarkus.runtime.Startup;

/** The datasets duckload knows, validated at start so that a wrong catalog stops the service. */
@Startup
@ApplicationScoped
public class Catalog {

    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    static final Set<String> PARTITION_PLACEHOLDERS = Set.of("YYYY", "MM", "DD", "YYYY-MM", "YYYY-MM-DD", "partition",
            "partition_value");
    static final Set<String> SELECT_PLACEHOLDERS = Set.of("source", "partition_value", "partition_start",
            "partition_end");

    private static final Pattern DBT_SELECT = Pattern.compile("[A-Za-z0-9_.:+*@,/ -]+");
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):");
    private static final Set<String> SUPPORTED_SCHEMES = Set.of("http", "https", "s3", "file");

    private final Map<String, Dataset> datasets;

    @Inject
    public Catalog(DuckloadConfig config) {
        this(config.datasets());
        DuckDbConfig.validate(config.duckdb());
        IntegrationsConfig.validate(config.dagster(), config.openlineage(), config.datasets());
        datasets.values().stream().filter(Dataset::export).findFirst().ifPresent(d -> {
            if (config.exportRoot().isEmpty()) {
                throw new CatalogException("duckload.export-root",
                        "dataset " + d.name() + " has export.enabled=true: set the export root directory");
            }
        });
    }

    Catalog(Map<String, DatasetConfig> configs) {
        Map<String, Dataset> built = new TreeMap<>();
        try (ScratchDuckDb scratch = ScratchDuckDb.open("duckload.datasets")) {
            configs.forEach((name, config) -> built.put(name, build(scratch, name, config)));
        }
        if (built.isEmpty()) {
            throw new CatalogException("duckload.datasets", "no dataset is defined");
        }
        this.datasets = Map.copyOf(built);
    }

    public Optional<Dataset> find(String name) {
        return Optional.ofNullable(datasets.get(name));
    }

    public Map<String, Dataset> all() {
        return new TreeMap<>(datasets);
    }

    static Dataset build(String name, DatasetConfig config) {
        try (ScratchDuckDb scratch = ScratchDuckDb.open("duckload.datasets." + name)) {
            return build(scratch, name, config);
        }
    }

    private static Dataset build(ScratchDuckDb scratch, String name, DatasetConfig config) {
        String key = "duckload.datasets." + name;
        identifier(key + ".table", config.table());
        Optional<PartitionScheme> partitioning = config.partitioning().map(p -> scheme(key + ".partitioning", p));

        if (config.mode() == LoadMode.REPLACE_PARTITION) {
            if (partitioning.isEmpty()) {
                throw new CatalogException(key + ".partitioning", "mode replace-partition needs a partitioning");
            }
            if (config.columns().isEmpty() || config.columns().get().isBlank()) {
                throw new CatalogException(key + ".columns",
                        "mode replace-partition needs the table's columns, so the table can be created before the"
                                + " first partition");
            }
        } else if (partitioning.isPresent()) {
            throw new CatalogException(key + ".mode",
                    "a partitioned dataset replaces one partition: set mode=replace-partition");
        }

        Set<String> sourceNames = partitioning.isPresent() ? PARTITION_PLACEHOLDERS : Set.of();
        Template source = Template.parse(key + ".source", config.source(), sourceNames);
        if (config.source().isBlank()) {
            throw new CatalogException(key + ".source", "must not be empty");
        }
        var scheme = SCHEME.matcher(config.source());
        if (scheme.lookingAt() && !SUPPORTED_SCHEMES.contains(scheme.group(1).toLowerCase(java.util.Locale.ROOT))) {
            throw new CatalogException(key + ".source", "unsupported scheme " + scheme.group(1)
                    + ": use a local path, a file: URL, an http(s) URL or an s3:// URL");
        }
        Template select = Template.parse(key + ".select", config.select(),
                partitioning.isPresent() ? SELECT_PLACEHOLDERS : Set.of("source"));
        if (!select.uses("source")) {
            throw new CatalogException(key + ".select", "must read from {source}");
        }
        if (!select.toString().strip().regionMatches(true, 0, "select", 0, 6)
                && !select.toString().strip().regionMatches(true, 0, "with", 0, 4)) {
            throw new CatalogException(key + ".select", "must be a select statement");
        }
        if (select.toString().contains(";")) {
            throw new CatalogException(key + ".select", "must be one statement, without ';'");
        }
        if (config.format().isEmpty() && SourceFormat.fromLocation(config.source()).isEmpty()) {
            throw new CatalogException(key + ".format",
                    "cannot tell the format from the source's extension; set parquet, csv or json");
        }
        Optional<String> readerOptions = config.readerOptions().map(String::strip).filter(o -> !o.isEmpty());
        if (readerOptions.filter(o -> o.contains(";")).isPresent()) {
            throw new CatalogException(key + ".reader-options", "must be named arguments, without ';'");
        }
        Optional<String> dbtSelect = config.dbtSelect().map(String::strip).filter(s -> !s.isEmpty());
        // dbt's selector syntax: node names, methods (source:, tag:), graph operators, commas and spaces.
        if (dbtSelect.filter(s -> !DBT_SELECT.matcher(s).matches()).isPresent()) {
            throw new CatalogException(key + ".dbt-select", "is not a dbt selection (letters, digits, _.:+*@,/ and"
                    + " spaces)");
        }
        boolean export = config.export() != null && config.export().enabled();
        Dataset dataset = new Dataset(name, config.table(), config.columns().map(String::strip), config.mode(),
                partitioning, source, config.format(), readerOptions, select, export, dbtSelect);
        List<String> optional = config.optionalSourceColumns().orElse(List.of()).stream().map(String::strip).toList();
        optional.forEach(c -> identifier(key + ".optional-source-columns", c));
        TableColumns declared = dataset.columns()
                .map(c -> TableColumns.declare(scratch, key + ".columns", config.table(), c))
                .orElse(new TableColumns(List.of()));
        return dataset.withChecks(CheckDefinitions.build(scratch, dataset, config.checks()))
                .withOptionalSourceColumns(optional).withDeclaredColumns(declared, config.schemaEvolution());
    }

    private static PartitionScheme scheme(String key, PartitioningConfig config) {
        identifier(key + ".column", config.column());
        DateTimeFormatter format;
        try {
            format = DateTimeFormatter.ofPattern(config.valueFormat());
        } catch (IllegalArgumentException e) {
            throw new CatalogException(key + ".value-format", e.getMessage());
        }
        if (!config.granularity().isBoundary(config.start())) {
            throw new CatalogException(key + ".start", "a monthly partitioning starts on the first of a month");
        }
        if (config.end().isPresent() && !config.end().get().isAfter(config.start())) {
            throw new CatalogException(key + ".end", "must be after the start");
        }
        return new PartitionScheme(config.granularity(), config.start(), config.end(), config.column(), format);
    }

    static void identifier(String key, String value) {
        if (!IDENTIFIER.matcher(value).matches()) {
            throw new CatalogException(key, "\"" + value + "\" is not a plain SQL identifier ([A-Za-z_][A-Za-z0-9_]*)");
        }
    }
}
