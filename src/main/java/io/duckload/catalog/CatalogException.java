package io.duckload.catalog;

/** A dataset definition that cannot work; stops the service at start and names the configuration key. */
public class CatalogException extends RuntimeException {

    public CatalogException(String key, String problem) {
        super("Invalid dataset catalog: " + key + ": " + problem);
    }
}
