package io.duckload.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.warehouse.StorageVersion;
import io.duckload.warehouse.Writer;

/** The DuckDB file duckload writes, as a reader of it (dbt) needs to know it: where it is and which DuckDB opens it. */
@Path("/database")
@Produces(MediaType.APPLICATION_JSON)
public class DatabaseResource {

    private final DuckloadConfig config;
    private final StorageVersion storage;
    private final Writer writer;

    public DatabaseResource(DuckloadConfig config, StorageVersion storage, Writer writer) {
        this.config = config;
        this.storage = storage;
        this.writer = writer;
    }

    @GET
    @Operation(summary = "The DuckDB file: its path, storage version (the oldest DuckDB release that opens it) and "
            + "why it cannot be written, if it cannot (e.g. DATABASE_CORRUPT)")
    public DatabaseView get() {
        String found = storage.found().orElse(null);
        return new DatabaseView(config.database().toAbsolutePath().toString(), found,
                found == null ? null : found.replace("+", ""), storage.setting(), storage.newerThanSetting(),
                writer.unwritableBecause().orElse(null));
    }

    /**
     * The DuckDB file.
     *
     * @param file the file's absolute path
     * @param storageVersion its storage version as DuckDB reports it, e.g. {@code v1.4.0+}; absent until the writer
     *        first attached the file
     * @param oldestReader the oldest DuckDB release that opens it, e.g. {@code v1.4.0}
     * @param configuredStorageVersion {@code duckload.duckdb.storage-version}: the format of a file duckload creates
     * @param newerThanConfigured the file predates the setting with a newer format (it keeps it; see the WARN at start)
     * @param error why the file cannot be written now, code first ({@code DATABASE_CORRUPT: …}); absent when it can
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatabaseView(String file, String storageVersion, String oldestReader,
            String configuredStorageVersion, boolean newerThanConfigured, String error) {
    }
}
