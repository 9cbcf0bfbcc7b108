package io.duckload.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.duckload.catalog.DuckloadConfig;

/**
 * docs/configuration.md has a row for every key of the {@code @ConfigMapping} ({@link ConfigKeys} derives them from
 * the interfaces), with its {@code @WithDefault} in the row, and no row for a {@code duckload.*} key that no longer
 * exists. A key added without its row fails the build.
 */
class ConfigurationReferenceTest {

    /** A table row naming a key: {@code | `duckload.…` | default | meaning |}; the key may carry an env name. */
    private static final Pattern ROW = Pattern.compile("^\\| `(duckload\\.[^`]+)`[^|]*\\|([^|]*)\\|.*$",
            Pattern.MULTILINE);

    private static Map<String, String> keys;
    private static Map<String, String> rows;

    @BeforeAll
    static void read() throws IOException {
        keys = ConfigKeys.of(DuckloadConfig.class);
        rows = new TreeMap<>();
        Matcher row = ROW.matcher(Files.readString(Path.of("docs/configuration.md")));
        while (row.find()) {
            rows.put(row.group(1), row.group(2));
        }
    }

    @Test
    void everyKeyHasItsRow() {
        assertThat(missing(keys.keySet(), rows.keySet())).as("keys of DuckloadConfig without a row in "
                + "docs/configuration.md").isEmpty();
    }

    @Test
    void everyRowNamesAKeyThatExists() {
        assertThat(missing(rows.keySet(), keys.keySet())).as("rows of docs/configuration.md naming no key of "
                + "DuckloadConfig").isEmpty();
    }

    @Test
    void everyDefaultIsInItsRow() {
        Map<String, String> wrong = keys.entrySet().stream().filter(key -> key.getValue() != null)
                .filter(key -> rows.containsKey(key.getKey()))
                .filter(key -> !rows.get(key.getKey()).contains("`" + key.getValue() + "`"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        assertThat(wrong).as("@WithDefault values missing from their row's default column").isEmpty();
    }

    /** The derivation itself, against the keys the shipped application.properties sets (SmallRye accepts those). */
    @Test
    void derivedKeysCoverTheShippedProperties() throws IOException {
        Pattern setting = Pattern.compile("^#?(duckload\\.[a-z0-9.\\-_]+)=", Pattern.MULTILINE);
        Matcher matcher = setting.matcher(Files.readString(Path.of("src/main/resources/application.properties")));
        Set<String> shipped = new TreeSet<>();
        while (matcher.find()) {
            shipped.add(matcher.group(1).replaceFirst("^duckload\\.datasets\\.[a-z_]+\\.checks\\.[a-z_]+\\.",
                    "duckload.datasets.<dataset>.checks.<check>.").replaceFirst("^duckload\\.datasets\\.[a-z_]+\\.",
                    "duckload.datasets.<dataset>."));
        }
        assertThat(shipped).hasSizeGreaterThan(30);
        assertThat(missing(shipped, keys.keySet())).as("keys of application.properties the derivation lacks").isEmpty();
    }

    private static Set<String> missing(Set<String> wanted, Set<String> present) {
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(present);
        return missing;
    }
}
