package io.duckload;

import static io.duckload.testing.EventLog.DLQ;
import static io.duckload.testing.EventLog.MATERIALIZED;
import static io.duckload.testing.SecureKafkaBroker.PLAIN_USER;
import static io.duckload.testing.SecureKafkaBroker.SCRAM_256_USER;
import static io.duckload.testing.SecureKafkaBroker.SCRAM_512_USER;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.duckload.testing.Credentials;
import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.JavaProgram;
import io.duckload.testing.SecureKafkaBroker;
import io.duckload.testing.ServiceProcess;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The packaged service against a broker whose listeners require SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), TLS or
 * mutual TLS, configured only with the standard {@code kafka.*} client keys (as environment variables): requests,
 * events, dead letters, API requests, readiness and metrics all go through the secured listener. Wrong credentials
 * keep the service alive and not ready, with the cause in the log; the fixed credentials bring it back.
 */
class KafkaSecurityIT {

    private static final long ROWS = 1_000;
    /** What the Kafka client logs (at ERROR) when the broker refuses a PLAIN login. */
    private static final String AUTHENTICATION_FAILED =
            "failed authentication due to: Authentication failed: Invalid username or password";

    private static SecureKafkaBroker broker;
    private static KafkaCompanion companion;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = SecureKafkaBroker.start(ServiceProcess.buildDir().resolve("it-secure-broker-" + UUID.randomUUID())
                .toAbsolutePath());
        companion = new KafkaCompanion(broker.internalBootstrap());
    }

    @AfterAll
    static void stopBroker() {
        if (companion != null) {
            companion.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void saslPlain(@TempDir Path dir) throws Exception {
        runsEndToEnd(dir, "plain", broker.sasl("PLAIN", PLAIN_USER, broker.password(PLAIN_USER)));
    }

    @Test
    void saslScramSha256(@TempDir Path dir) throws Exception {
        runsEndToEnd(dir, "scram256", broker.sasl("SCRAM-SHA-256", SCRAM_256_USER, broker.password(SCRAM_256_USER)));
    }

    @Test
    void saslScramSha512(@TempDir Path dir) throws Exception {
        runsEndToEnd(dir, "scram512", broker.sasl("SCRAM-SHA-512", SCRAM_512_USER, broker.password(SCRAM_512_USER)));
    }

    @Test
    void tlsWithServerVerification(@TempDir Path dir) throws Exception {
        runsEndToEnd(dir, "tls", broker.tls());
    }

    @Test
    void mutualTls(@TempDir Path dir) throws Exception {
        runsEndToEnd(dir, "mtls", broker.mutualTls());
    }

    @Test
    void wrongCredentialsKeepTheServiceAliveAndNotReadyUntilFixed(@TempDir Path dir) throws Exception {
        String wrong = "wrong-" + UUID.randomUUID();
        Scenario scenario = new Scenario(dir, "wrong-password");
        Path log = scenario.log();
        String requestId;
        try (EventLog events = new EventLog(companion);
                ServiceProcess service = ServiceProcess.launch(ServiceProcess.defaultJar(),
                        scenario.environment(broker.sasl("PLAIN", PLAIN_USER, wrong)), log)) {
            requestId = scenario.request(events, "2023-01-01");
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> JavaProgram.read(log).contains(AUTHENTICATION_FAILED)
                            && status(service, "/q/health/ready") == 503);
            Awaitility.await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15))
                    .until(() -> service.isAlive() && status(service, "/q/health/ready") == 503);
            assertThat(service.get("/q/health/live").statusCode()).isEqualTo(200);
            assertThat(service.get("/q/health/ready").body())
                    .contains("SaslAuthenticationException: Authentication failed: Invalid username or password");
            assertThat(events.find(MATERIALIZED, requestId)).isEmpty();
            assertThat(service.stop()).isIn(0, 143);
        }
        assertThat(JavaProgram.read(log)).doesNotContain(wrong);

        try (EventLog events = new EventLog(companion);
                ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(),
                        scenario.environment(broker.sasl("PLAIN", PLAIN_USER, broker.password(PLAIN_USER))), log)) {
            assertThat(events.awaitEvent(MATERIALIZED, requestId).path("rowsInserted").asLong()).isEqualTo(ROWS);
            assertThat(service.stop()).isIn(0, 143);
        }
    }

    @Test
    void missingClientCertificateKeepsTheServiceAliveAndNotReady(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario(dir, "no-client-certificate");
        try (ServiceProcess service = ServiceProcess.launch(ServiceProcess.defaultJar(),
                scenario.environment(broker.tlsWithoutClientCertificate()), scenario.log())) {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> status(service, "/q/health/ready") == 503
                            && service.get("/q/health/ready").body().contains("SslAuthenticationException"));
            Awaitility.await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15))
                    .until(() -> service.isAlive() && status(service, "/q/health/ready") == 503);
            assertThat(service.get("/q/health/live").statusCode()).isEqualTo(200);
            String readiness = service.get("/q/health/ready").body();
            assertThat(readiness).as(readiness)
                    .contains("SslAuthenticationException", "Received fatal alert: bad_certificate");
            // TLS 1.3: the client finishes its handshake first, then reads the broker's alert.
            assertThat(JavaProgram.read(scenario.log()))
                    .contains("failed authentication due to: Failed to process post-handshake messages");
            assertThat(service.stop()).isIn(0, 143);
        }
    }

    /** A load request, a hostile record and an API request, all through the secured listener. */
    private static void runsEndToEnd(Path dir, String name, Map<String, String> security) throws Exception {
        Scenario scenario = new Scenario(dir, name);
        try (EventLog events = new EventLog(companion);
                ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(),
                        scenario.environment(security), scenario.log(), Credentials.operatorOptions())) {
            String requestId = scenario.request(events, "2023-01-01");
            assertThat(events.awaitEvent(MATERIALIZED, requestId).path("rowsInserted").asLong()).isEqualTo(ROWS);

            String hostileKey = "hostile-" + UUID.randomUUID();
            events.send(new ProducerRecord<>(scenario.topic(), hostileKey, "<not a request " + hostileKey));
            var deadLetter = events.awaitRecord(DLQ, r -> hostileKey.equals(r.key())).orElseThrow();
            assertThat(EventLog.header(deadLetter, "dead-letter-topic")).isEqualTo(scenario.topic());
            assertThat(EventLog.header(deadLetter, "dead-letter-reason")).isNotBlank();

            var accepted = service.post("/datasets/taxi_trips/partitions/2023-02-01");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            String apiRequestId = EventLog.json(accepted.body()).path("requests").path(0).path("requestId").asText();
            assertThat(events.awaitEvent(MATERIALIZED, apiRequestId).path("partition").asText())
                    .isEqualTo("2023-02-01");

            assertThat(EventLog.json(service.get("/q/health/ready").body()).path("checks").findValues("name"))
                    .extracting(node -> node.asText()).contains("kafka");
            assertThat(service.get("/q/metrics").body()).contains("kafka_consumer_", "kafka_producer_");
            assertThat(service.stop()).isIn(0, 143);
        }
    }

    private static int status(ServiceProcess service, String path) {
        try {
            return service.get(path).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** One service's own request topic, consumer group, DuckDB file and sources. */
    private record Scenario(Path dir, String name, String topic) {

        Scenario(Path dir, String name) throws Exception {
            this(dir, name, "requests-" + name + "-" + UUID.randomUUID());
            broker.createTopics(List.of(topic));
            // The log is read for what this run wrote: a log of an earlier run must not answer for it.
            Files.deleteIfExists(log());
            for (String month : List.of("2023-01", "2023-02")) {
                Fixtures.tripsParquet(dir.resolve("sources/yellow_tripdata_" + month + ".parquet"), month, ROWS);
            }
        }

        Path log() {
            return ServiceProcess.buildDir().resolve("it-logs/kafka-security-" + name + ".log");
        }

        Map<String, String> environment(Map<String, String> security) {
            Map<String, String> env = ServiceProcess.environment("unset", dir.resolve("duckload.duckdb"),
                    dir.resolve("staging"));
            env.putAll(security);
            env.put("DUCKLOAD_DATASETS_TAXI_TRIPS_SOURCE",
                    dir.resolve("sources") + "/yellow_tripdata_{YYYY-MM}.parquet");
            env.put("MP_MESSAGING_INCOMING_PARTITION_REQUESTED_TOPIC", topic);
            env.put("MP_MESSAGING_INCOMING_PARTITION_REQUESTED_GROUP_ID", "duckload-" + topic);
            env.put("MP_MESSAGING_OUTGOING_REQUESTS_OUT_TOPIC", topic);
            return env;
        }

        String request(EventLog events, String partition) {
            String requestId = UUID.randomUUID().toString();
            events.send(new ProducerRecord<>(topic, "taxi_trips/" + partition,
                    "{\"requestId\":\"%s\",\"dataset\":\"taxi_trips\",\"partition\":\"%s\"}".formatted(requestId,
                            partition)));
            return requestId;
        }
    }
}
