package io.duckload.ingest;

import static io.duckload.testing.EventLog.FAILED;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.duckload.testing.DuckloadTestResource;
import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Hostile input, each case answered by PartitionFailed or the dead-letter topic with a clear reason, the DuckDB
 * file holding the same tables and rows as before, and the service still consuming.
 */
@QuarkusTest
@QuarkusTestResource(value = DuckloadTestResource.class, restrictToAnnotatedClass = false)
class HostileInputTest {

    @InjectKafkaCompanion
    KafkaCompanion companion;

    private EventLog log;
    private Map<String, String> before;

    @BeforeEach
    void snapshot() {
        log = new EventLog(companion);
        // Make sure the tables exist, so that "unchanged" covers them.
        log.awaitEvent(MATERIALIZED, log.request("taxi_trips", "2023-01-01"));
        log.awaitEvent(MATERIALIZED, log.request("test_csv", "2023-01-01"));
        // Marking events sent happens after they are acknowledged; wait for it, as it is not what is under test.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.queryLong(
                DuckloadTestResource.database(), "SELECT count(*) FROM duckload_outbox WHERE sent_at IS NULL") == 0);
        before = Fixtures.snapshot(DuckloadTestResource.database());
    }

    @AfterEach
    void fileUnchangedAndStillConsuming() {
        assertThat(Fixtures.snapshot(DuckloadTestResource.database())).isEqualTo(before);
        assertThat(log.awaitEvent(MATERIALIZED, log.request("taxi_zones", null)).path("rowsInserted").asLong())
                .isEqualTo(DuckloadTestResource.ZONES);
        log.close();
    }

    @Test
    void recordsThatAreNotRequestsGoToTheDeadLetterTopic() {
        deadLetter("not-json", "{{{{", "not JSON");
        deadLetter("array", "[1, 2]", "expected a JSON object, got array");
        deadLetter("wrong-type", "{\"dataset\": [\"taxi_trips\"]}", "field 'dataset' must be a string, got array");
        deadLetter("missing", "{\"partition\": \"2023-01-01\"}", "missing field 'dataset'");
        deadLetter("null-value", null, "empty message");
        deadLetter("source-override",
                "{\"dataset\":\"taxi_trips\",\"partition\":\"2023-01-01\",\"source\":\"file:///etc/passwd\"}",
                "field 'source' is not accepted");
    }

    /**
     * Every record that carries no request is dead-lettered with its reason, a tombstone and a keyless record too
     * (SmallRye hands a tombstone to duckload with a null payload). Each letter is found by its record's offset.
     */
    @Test
    void recordsWithoutARequestAreDeadLetteredWhateverTheirKey() {
        String key = "no-request-" + UUID.randomUUID();
        deadLetterAt(new ProducerRecord<>(EventLog.REQUESTS, key + "/tombstone", null),
                "empty message: no value (a tombstone)");
        deadLetterAt(new ProducerRecord<>(EventLog.REQUESTS, key + "/empty", ""), "empty message: empty value");
        deadLetterAt(new ProducerRecord<>(EventLog.REQUESTS, key + "/blank", " \t\r\n "),
                "empty message: only whitespace");
        deadLetterAt(new ProducerRecord<>(EventLog.REQUESTS, null, "{\"partition\": \"" + key + "\"}"),
                "missing field 'dataset'");
        deadLetterAt(new ProducerRecord<>(EventLog.REQUESTS, null, null), "empty message: no value (a tombstone)");
        deadLetterAt(new ProducerRecord<>(EventLog.REQUESTS, null, "  "), "empty message: only whitespace");
    }

    @Test
    void aTenMegabyteRecordIsDeadLetteredCutToSixtyFourKilobytes() {
        String key = EventLog.unique("huge");
        String huge = "{\"dataset\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        companion.produceStrings().withProp(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Integer.toString(KafkaBroker.MAX_MESSAGE_BYTES))
                .fromRecords(new ProducerRecord<>(EventLog.REQUESTS, key, huge)).awaitCompletion();

        var letter = log.awaitDeadLetter(key);
        assertThat(EventLog.header(letter, "dead-letter-reason")).startsWith("message of " + huge.length());
        assertThat(EventLog.header(letter, "dead-letter-truncated-from-chars"))
                .isEqualTo(Integer.toString(huge.length()));
        assertThat(letter.value()).hasSize(DeadLetters.MAX_COPIED_BYTES);
    }

    @Test
    void wellFormedRequestsThatCannotBeDoneFailWithAStableCode() {
        failure("no_such_dataset", "2023-01-01", "UNKNOWN_DATASET");
        failure("taxi_trips", "2023-13-01", "INVALID_PARTITION");
        failure("taxi_trips", "2023-03-01'; drop table trips; --", "INVALID_PARTITION");
        failure("taxi_trips", "../../etc/passwd", "INVALID_PARTITION");
        failure("taxi_trips", "２０２３-０３-０１", "INVALID_PARTITION");
        failure("taxi_trips", "2023-0З-01", "INVALID_PARTITION"); // Cyrillic Ze for the digit 3
        failure("taxi_trips", "2022-12-01", "PARTITION_OUT_OF_RANGE");
        failure("taxi_trips", "2999-01-01", "PARTITION_OUT_OF_RANGE");
        failure("taxi_zones", "2023-01-01", "PARTITION_NOT_APPLICABLE");
        failure("taxi_trips", "2023-05-01", "SOURCE_FORMAT_INVALID");
        failure("taxi_trips", "2023-06-01", "SOURCE_FORMAT_INVALID");
        failure("taxi_trips", "2023-07-01", "SOURCE_SCHEMA_MISMATCH");
        failure("test_csv", "2023-02-01", "SOURCE_SCHEMA_MISMATCH");
        failure("taxi_trips", "2023-08-01", "SOURCE_NOT_FOUND");
    }

    private void deadLetter(String name, String value, String reason) {
        String key = EventLog.unique(name);
        log.send(new ProducerRecord<>(EventLog.REQUESTS, key, value));
        var letter = log.awaitDeadLetter(key);
        assertThat(EventLog.header(letter, "dead-letter-reason")).startsWith(reason);
        assertThat(EventLog.header(letter, "dead-letter-topic")).isEqualTo(EventLog.REQUESTS);
        assertThat(letter.value()).isEqualTo(value);
    }

    /** Sends {@code record} and finds its dead letter by the partition and offset it was written at. */
    private void deadLetterAt(ProducerRecord<String, String> record, String reason) {
        RecordMetadata sent = companion.produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(30))
                .getLastRecord();
        var letter = log.awaitRecord(EventLog.DLQ, r -> EventLog.REQUESTS.equals(EventLog.header(r, "dead-letter-topic"))
                && Integer.toString(sent.partition()).equals(EventLog.header(r, "dead-letter-partition"))
                && Long.toString(sent.offset()).equals(EventLog.header(r, "dead-letter-offset"))).orElseThrow();
        assertThat(EventLog.header(letter, "dead-letter-reason")).startsWith(reason);
        assertThat(letter.key()).isEqualTo(record.key());
        assertThat(letter.value()).isEqualTo(record.value());
    }

    private void failure(String dataset, String partition, String code) {
        var failed = log.awaitEvent(FAILED, log.request(dataset, partition));
        assertThat(failed.path("error").path("code").asText()).as(failed.toString()).isEqualTo(code);
        assertThat(failed.path("error").path("message").asText()).isNotBlank();
    }
}
