package io.duckload.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.duckload.catalog.Check;
import io.duckload.contracts.PartitionMaterialized.CheckOutcome;

/**
 * The ledger's {@code checks} column, written with Jackson: byte for byte what files written before held (the
 * string the ledger used to build by hand), and read back by the API as PartitionMaterialized's check outcomes.
 */
class LedgerChecksTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Ledger ledger = new Ledger(mapper);

    @Test
    void checksAreStoredAsTheyWereBeforeJacksonWroteThem() {
        List<CheckResult> checks = List.of(
                new CheckResult("fares_positive", Check.Severity.WARN, false, 3, List.of(Map.of("fare", "-1"))),
                new CheckResult("trips_present", Check.Severity.ERROR, true, 0, List.of()));

        assertThat(ledger.checksJson(checks)).isEqualTo("[{\"name\":\"fares_positive\",\"severity\":\"warn\","
                + "\"passed\":false,\"violations\":3},{\"name\":\"trips_present\",\"severity\":\"error\","
                + "\"passed\":true,\"violations\":0}]");
        assertThat(ledger.checksJson(List.of())).isEqualTo("[]");
    }

    @Test
    void theApiReadsTheStoredChecksBackAsCheckOutcomes() throws Exception {
        CheckResult check = new CheckResult("fares_positive", Check.Severity.WARN, false, 3, List.of());

        assertThat(mapper.readValue(ledger.checksJson(List.of(check)), CheckOutcome[].class))
                .containsExactly(new CheckOutcome("fares_positive", "warn", false, 3));
    }
}
