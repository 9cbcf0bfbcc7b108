package io.duckload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateTest {

    private static final Set<String> ALLOWED = Set.of("source", "YYYY", "MM", "YYYY-MM");

    @Test
    void placeholdersAreListedInOrderOfAppearanceWithRepeats() {
        Template template = Template.parse("k", "{YYYY}/{MM}/{YYYY-MM}_{YYYY}.parquet", ALLOWED);
        assertThat(template.names()).containsExactly("YYYY", "MM", "YYYY-MM", "YYYY");
        assertThat(template.uses("MM")).isTrue();
        assertThat(template.uses("source")).isFalse();
    }

    @Test
    void renderAsksForEachPlaceholderInOrderAndReplacesEveryOccurrence() {
        Template template = Template.parse("k", "select {MM}, {YYYY}, {MM} from {source}", ALLOWED);
        List<String> asked = new ArrayList<>();
        String rendered = template.render(name -> {
            asked.add(name);
            return "?" + asked.size();
        });
        assertThat(asked).containsExactly("MM", "YYYY", "MM", "source");
        assertThat(rendered).isEqualTo("select ?1, ?2, ?3 from ?4");
    }

    @Test
    void renderInsertsValuesLiterally() {
        Template template = Template.parse("k", "data/{YYYY}/{MM}.csv", ALLOWED);
        assertThat(template.render(Map.of("YYYY", "$1\\", "MM", "{MM}"))).isEqualTo("data/$1\\/{MM}.csv");
    }

    @Test
    void textWithoutPlaceholdersRendersUnchanged() {
        Template template = Template.parse("k", "data/zones.csv", ALLOWED);
        assertThat(template.names()).isEmpty();
        assertThat(template.render(Map.of())).isEqualTo("data/zones.csv").isEqualTo(template.toString());
    }

    @Test
    void unknownPlaceholderIsRejectedNamingKeyAndPlaceholder() {
        assertThatThrownBy(() -> Template.parse("duckload.datasets.x.source", "data/{DD}.csv", ALLOWED))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("Invalid dataset catalog: duckload.datasets.x.source: ")
                .hasMessageContaining("unknown placeholder {DD}");
    }

    @ParameterizedTest
    @ValueSource(strings = { "data/{YYYY.csv", "data/YYYY}.csv", "data/{{YYYY}}.csv", "data/{}.csv", "{source",
            "{YYYY1}" })
    void unbalancedBraceIsRejectedNamingKey(String text) {
        assertThatThrownBy(() -> Template.parse("duckload.datasets.x.source", text, ALLOWED))
                .isInstanceOf(CatalogException.class)
                .hasMessage("Invalid dataset catalog: duckload.datasets.x.source: unbalanced brace in template "
                        + text);
    }
}
