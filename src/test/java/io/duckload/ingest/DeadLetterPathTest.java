package io.duckload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * One writer to the dead-letter topic: duckload's own {@link DeadLetters} (value capped, reason in headers). A
 * failure strategy of the request channel that wrote there too would copy a record uncapped and without the reason.
 */
class DeadLetterPathTest {

    private static final String DLQ = "partition-requested-dlq";

    @Test
    void onlyTheDeadLettersChannelWritesTheDeadLetterTopic() throws IOException {
        Properties config = applicationProperties();

        assertThat(config.stringPropertyNames()).filteredOn(key -> DLQ.equals(config.getProperty(key)))
                .containsExactly("mp.messaging.outgoing.dead-letters.topic");
        assertThat(config.stringPropertyNames()).noneMatch(key -> key.contains("dead-letter-queue"));
        // A nack stops the channel (and shows in health) instead of writing or committing the record.
        assertThat(config.getProperty("mp.messaging.incoming.partition-requested.failure-strategy")).isEqualTo("fail");
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = DeadLetterPathTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        return properties;
    }
}
