package io.duckload.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Base of {@code @QuarkusTest}s that drive the service through Kafka: a fresh {@link EventLog} for each test. */
public abstract class KafkaFlowTest {

    @InjectKafkaCompanion
    protected KafkaCompanion companion;

    protected EventLog log;

    @BeforeEach
    void watch() {
        log = new EventLog(companion);
    }

    @AfterEach
    void stopWatching() {
        log.close();
    }
}
