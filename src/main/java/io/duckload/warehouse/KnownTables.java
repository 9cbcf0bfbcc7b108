package io.duckload.warehouse;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What committed transactions learned about partitioned tables while the file stayed attached: that a table exists
 * and its column fingerprint. While the writer has the file attached no other process can change it, and loads never
 * change a partitioned table's columns, so a load need not ask DuckDB again (a {@code CREATE TABLE IF NOT EXISTS}
 * and a catalog query per transaction, milliseconds each). Facts learned by a transaction count once it commits;
 * everything is forgotten when the file is attached anew, as dbt or another process may have changed it meanwhile.
 * Used on the writer thread only.
 */
final class KnownTables {

    private final Set<String> present = new HashSet<>();
    private final Map<String, String> fingerprints = new HashMap<>();
    private final Set<String> learnedPresent = new HashSet<>();
    private final Map<String, String> learnedFingerprints = new HashMap<>();
    private final Set<String> changed = new HashSet<>();

    boolean present(String table) {
        return present.contains(table);
    }

    String fingerprint(String table) {
        return fingerprints.get(table);
    }

    /** The running transaction made sure {@code table} exists. */
    void learnPresent(String table) {
        learnedPresent.add(table);
    }

    /** The running transaction read {@code table}'s fingerprint. */
    void learnFingerprint(String table, String fingerprint) {
        learnedFingerprints.put(table, fingerprint);
    }

    /** The running transaction replaced {@code table} whole: nothing is known about it once it commits. */
    void changed(String table) {
        changed.add(table);
    }

    /** The running transaction committed: what it learned holds from now on. */
    void committed() {
        present.addAll(learnedPresent);
        fingerprints.putAll(learnedFingerprints);
        present.removeAll(changed);
        changed.forEach(fingerprints::remove);
        rolledBack();
    }

    /** The running transaction was rolled back: what it learned (a table it created, say) does not hold. */
    void rolledBack() {
        learnedPresent.clear();
        learnedFingerprints.clear();
        changed.clear();
    }

    /** The file was attached anew: another process may have changed it. */
    void forget() {
        present.clear();
        fingerprints.clear();
        rolledBack();
    }
}
