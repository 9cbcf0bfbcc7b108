package io.duckload.health;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.common.annotation.Identifier;

/**
 * Ready while the broker answers a cluster description made with the service's own {@code kafka.*} settings
 * (bootstrap servers, TLS, SASL), so a rejected login or certificate shows its cause in the readiness answer.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    /**
     * Bounded, unlike Quarkus' own Kafka check, whose admin call waits up to the client's 60 s API timeout while
     * the broker is down: the readiness endpoint must answer promptly during an outage.
     */
    private static final int TIMEOUT_MS = 3_000;
    /** Quarkus' TLS registry reads its configuration name from the client settings (QuarkusKafkaSslEngineFactory). */
    private static final String TLS_CONFIGURATION_NAME = "tls-configuration-name";

    private final Map<String, Object> kafka;
    private Admin admin;

    public KafkaReadinessCheck(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.kafka = kafka;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka");
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).nodes()
                    .get(TIMEOUT_MS + 1_000L, TimeUnit.MILLISECONDS).size();
            return response.up().withData("nodes", nodes).build();
        } catch (ExecutionException e) {
            return response.down().withData("error", describe(e.getCause() == null ? e : e.getCause())).build();
        } catch (TimeoutException e) {
            return response.down().withData("error", "no answer from the broker within " + TIMEOUT_MS + " ms")
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("error", "interrupted").build();
        }
    }

    /**
     * The exception and, when it differs, its root: Kafka's SslAuthenticationException says only "SSL handshake
     * failed" or "Failed to process post-handshake messages"; the TLS alert behind it names the real cause.
     */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return root == failure ? text : text + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> settings = new HashMap<>();
            kafka.forEach((key, value) -> {
                if (AdminClientConfig.configNames().contains(key) || key.equals(TLS_CONFIGURATION_NAME)) {
                    settings.put(key, value);
                }
            });
            settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "duckload-readiness");
            admin = Admin.create(settings);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
