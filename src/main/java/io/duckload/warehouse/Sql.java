package io.duckload.warehouse;

/** SQL text helpers; only ever applied to identifiers from configuration, which the catalog checked. */
final class Sql {

    private Sql() {
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
