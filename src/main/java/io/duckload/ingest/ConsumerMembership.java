package io.duckload.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;
import io.smallrye.common.annotation.Identifier;

/**
 * The request consumer's group membership: static, with a {@code group.instance.id} that stays the same across
 * restarts, so that after a crash the restarted service gets its partitions back without waiting for the dead
 * member's session to expire. Settings of the channel itself take precedence over these.
 */
@ApplicationScoped
public class ConsumerMembership {

    static final String NONE = "none";
    private static final Logger LOG = Logger.getLogger(ConsumerMembership.class);

    private final DuckloadConfig config;
    private final String groupId;

    public ConsumerMembership(DuckloadConfig config,
            @ConfigProperty(name = "mp.messaging.incoming.partition-requested.group.id") String groupId) {
        this.config = config;
        this.groupId = groupId;
    }

    /** Kafka settings of the channel {@code partition-requested} (its attribute {@code kafka-configuration}). */
    @Produces
    @Identifier("duckload-consumer")
    Map<String, Object> consumerSettings() {
        Optional<String> instanceId = instanceId(config.instanceId(), groupId, config.database().toString());
        LOG.infof("Consumer group %s, %s", groupId,
                instanceId.map(id -> "static member " + id).orElse("dynamic member (duckload.instance-id=none)"));
        return instanceId.<Map<String, Object>>map(id -> Map.of("group.instance.id", id)).orElse(Map.of());
    }

    /** The configured id, none, or {@code <group>-<12 hex digits of the SHA-256 of the file's absolute path>}. */
    static Optional<String> instanceId(Optional<String> configured, String groupId, String database) {
        if (configured.isPresent()) {
            return configured.filter(id -> !NONE.equals(id));
        }
        String file = java.nio.file.Path.of(database).toAbsolutePath().normalize().toString();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(file.getBytes(StandardCharsets.UTF_8));
            return Optional.of(groupId + "-" + HexFormat.of().formatHex(hash, 0, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
