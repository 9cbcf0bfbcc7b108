package io.duckload.outbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.duckload.testing.KafkaFlowTest;
import io.duckload.testing.OpenLineageSpec;

/**
 * A flow test with {@link OpenLineageResource}: the lineage topic read from the start for each test, the published
 * spec to validate events with, and the HTTP endpoint answering 200 again after each test.
 */
abstract class LineageFlowTest extends KafkaFlowTest {

    protected final OpenLineageSpec spec = new OpenLineageSpec(OpenLineageResource.serviceUrl());
    protected LineageTopic lineage;

    @BeforeEach
    void consumeLineage() {
        lineage = new LineageTopic(companion);
    }

    @AfterEach
    void stopConsuming() {
        lineage.close();
        OpenLineageResource.endpoint().answerAllWith200();
    }
}
