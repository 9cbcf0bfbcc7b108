package io.duckload.source;

import static io.duckload.testing.EventLog.MATERIALIZED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaBroker;
import io.duckload.testing.ServiceProcess;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * An {@code s3://} month loaded by the packaged service (the jar, or under {@code -Pnative} the native executable)
 * from s3proxy: the AWS SDK's client, its SigV4 signing and XML parsing as shipped, credentials from the
 * environment as an operator gives them.
 */
class S3PackagedServiceIT {

    @Test
    void loadsAMonthFromAnS3CompatibleStore(@TempDir Path dir) throws Exception {
        String month = "2023-04";
        Path bucket = Files.createDirectories(dir.resolve("buckets/trips"));
        Fixtures.tripsParquet(bucket.resolve("yellow_tripdata_" + month + ".parquet"), month, 700);
        try (KafkaBroker broker = KafkaBroker.start(); S3Proxy proxy = S3Proxy.start(S3Proxy.CURRENT,
                dir.resolve("buckets"))) {
            Map<String, String> env = ServiceProcess.environment(broker.bootstrapServers(),
                    dir.resolve("data/duckload.duckdb"), dir.resolve("staging"));
            env.put("DUCKLOAD_DATASETS_TAXI_TRIPS_SOURCE", "s3://trips/yellow_tripdata_{YYYY-MM}.parquet");
            env.put("DUCKLOAD_S3_ENDPOINT", proxy.endpoint());
            env.put("DUCKLOAD_S3_REGION", "us-east-1");
            env.put("DUCKLOAD_S3_PATH_STYLE_ACCESS", "true");
            env.put("AWS_ACCESS_KEY_ID", S3Proxy.IDENTITY);
            env.put("AWS_SECRET_ACCESS_KEY", S3Proxy.CREDENTIAL);
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
            env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
            try (KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers());
                    EventLog log = new EventLog(companion);
                    ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env,
                            ServiceProcess.buildDir().resolve("it-logs/s3-packaged.log"))) {
                JsonNode event = log.awaitEvent(MATERIALIZED, log.request("taxi_trips", month + "-01"));

                assertThat(event.path("rowsInserted").asLong()).isEqualTo(700);
                assertThat(event.path("source").path("uri").asText())
                        .isEqualTo("s3://trips/yellow_tripdata_" + month + ".parquet");
            }
        }
    }
}
