package io.duckload.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

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

    /**
     * The in-JVM broker's categories (and the test JVM's own Kafka clients'), kept at WARN: at INFO the broker logs
     * every partition it creates, a few hundred lines per start. Held here, since the JDK's logging keeps loggers
     * weakly. A Quarkus test's configuration still wins for the categories it names.
     */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("kafka"),
            Logger.getLogger("state.change.logger"), Logger.getLogger("org.apache.kafka"));

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
        QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
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
