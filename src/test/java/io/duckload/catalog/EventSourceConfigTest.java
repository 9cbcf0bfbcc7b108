package io.duckload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.testing.DefaultConfig;

/** The CloudEvents source is a URI-reference: a value that is none stops the start, naming the key. */
class EventSourceConfigTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultAndAnyUriReferenceAreTaken() {
        assertThat(DefaultConfig.of(dir.resolve("a.duckdb")).eventSource()).isEqualTo(URI.create("urn:duckload"));
        assertThat(DefaultConfig.of(dir.resolve("a.duckdb"), "duckload.event-source",
                "https://data.example.org/duckload/prod").eventSource().getHost()).isEqualTo("data.example.org");
    }

    @Test
    void aValueThatIsNoUriStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> DefaultConfig.of(dir.resolve("a.duckdb"), "duckload.event-source",
                "duckload on host 7").eventSource()).hasMessageContaining("duckload.event-source");
    }
}
