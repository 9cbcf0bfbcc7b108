package io.duckload.testing;

import java.io.IOException;
import java.net.ServerSocket;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

/**
 * A real Apache Kafka broker for tests: a Testcontainers broker where a Docker engine answers, otherwise a KRaft
 * broker inside the test JVM. {@code -Dtest.kafka.broker=embedded} skips the Docker probe.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Large enough for the 10 MB hostile message. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final AutoCloseable running;
    private final String bootstrapServers;

    private KafkaBroker(AutoCloseable running, String bootstrapServers) {
        this.running = running;
        this.bootstrapServers = bootstrapServers;
    }

    public static KafkaBroker start() {
        if (!"embedded".equals(System.getProperty("test.kafka.broker")) && dockerAvailable()) {
            KafkaContainer container = new KafkaContainer("apache/kafka:4.1.2")
                    .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(MAX_MESSAGE_BYTES));
            container.start();
            return new KafkaBroker(container::stop, container.getBootstrapServers());
        }
        int port = freePort();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withKafkaPort(port)
                .withControllerPort(freePort())
                .withKafkaHost("127.0.0.1")
                .withDeleteLogDirsOnClose(true)
                .withAdditionalProperties(props -> {
                    props.put("auto.create.topics.enable", "true");
                    props.put("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
                    props.put("num.partitions", "3");
                    props.put("group.initial.rebalance.delay.ms", "0");
                    props.put("offsets.topic.num.partitions", "3");
                })
                .start();
        return new KafkaBroker(broker::close, "127.0.0.1:" + port);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() throws Exception {
        running.close();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
