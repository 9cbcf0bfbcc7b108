package io.duckload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ConsumerMembershipTest {

    @Test
    void theDefaultIdIsStableForOneFileAndGroupAndDiffersForAnother() {
        Optional<String> first = ConsumerMembership.instanceId(Optional.empty(), "duckload", "/srv/a.duckdb");

        assertThat(first).hasValueSatisfying(id -> assertThat(id).matches("duckload-[0-9a-f]{12}"));
        assertThat(ConsumerMembership.instanceId(Optional.empty(), "duckload", "/srv/x/../a.duckdb"))
                .isEqualTo(first);
        assertThat(ConsumerMembership.instanceId(Optional.empty(), "duckload", "/srv/b.duckdb")).isNotEqualTo(first);
        assertThat(ConsumerMembership.instanceId(Optional.empty(), "other", "/srv/a.duckdb").orElseThrow())
                .startsWith("other-");
    }

    @Test
    void aConfiguredIdWinsAndNoneTurnsStaticMembershipOff() {
        assertThat(ConsumerMembership.instanceId(Optional.of("pod-1"), "duckload", "/srv/a.duckdb"))
                .contains("pod-1");
        assertThat(ConsumerMembership.instanceId(Optional.of("none"), "duckload", "/srv/a.duckdb")).isEmpty();
    }
}
