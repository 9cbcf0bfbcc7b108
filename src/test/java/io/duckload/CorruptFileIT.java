package io.duckload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.duckload.testing.EventLog;
import io.duckload.testing.Fixtures;
import io.duckload.testing.KafkaBroker;
import io.duckload.testing.ServiceProcess;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * A DuckDB file with a block overwritten while the service was stopped (issue 31): within one load readiness goes
 * DOWN naming DATABASE_CORRUPT and the file, that request and every later one is answered PartitionFailed with
 * DATABASE_CORRUPT, no PartitionMaterialized follows, and from then on the service writes neither the file nor its
 * WAL.
 */
class CorruptFileIT {

    private static final long ROWS = 1_000;
    private static final int CORRUPT_BYTES = 32 << 10;

    @Test
    void aCorruptFileTurnsReadinessDownAndEveryLaterRequestFails(@TempDir Path dir) throws Exception {
        Path sources = Files.createDirectories(dir.resolve("sources"));
        for (String month : List.of("2023-01", "2023-02", "2023-03")) {
            Fixtures.tripsParquet(sources.resolve("yellow_tripdata_" + month + ".parquet"), month, ROWS);
        }
        Fixtures.zonesCsv(sources.resolve("taxi_zones.csv"), 263);
        Path database = dir.resolve("data/duckload.duckdb");
        Path wal = Path.of(database + ".wal");
        Path serviceLog = ServiceProcess.buildDir().resolve("it-logs/corrupt-file.log");
        Files.deleteIfExists(serviceLog);
        try (KafkaBroker broker = KafkaBroker.start();
                KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers());
                EventLog log = new EventLog(companion)) {
            Map<String, String> env = ServiceProcess.environment(broker.bootstrapServers(), database,
                    dir.resolve("staging"), sources);
            env.put("DUCKLOAD_DATASETS_TAXI_ZONES_SOURCE", sources.resolve("taxi_zones.csv").toString());
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env, serviceLog)) {
                log.awaitEvent(EventLog.MATERIALIZED, log.request("taxi_zones", null));
                log.awaitEvent(EventLog.MATERIALIZED, log.request("taxi_trips", "2023-01-01"));
                assertThat(service.stop()).isIn(0, 143);
            }
            overwriteMiddleOfBlock(database, blockOf(database, "duckload_outbox"));

            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.defaultJar(), env, serviceLog)) {
                String first = log.request("taxi_trips", "2023-02-01");
                JsonNode failed = log.awaitEvent(EventLog.FAILED, first);
                assertThat(failed.path("error").path("code").asText()).isEqualTo("DATABASE_CORRUPT");
                var ready = service.get("/q/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("DATABASE_CORRUPT").contains(database.toString());
                assertThat(service.get("/database").body()).contains("DATABASE_CORRUPT");
                String file = sha256(database);
                String walAtDetection = sha256(wal);

                String later = log.request("taxi_trips", "2023-03-01");
                String zones = log.request("taxi_zones", null);
                for (String requestId : List.of(later, zones)) {
                    assertThat(log.awaitEvent(EventLog.FAILED, requestId).path("error").path("code").asText())
                            .isEqualTo("DATABASE_CORRUPT");
                }
                assertThat(service.get("/q/health/ready").statusCode()).isEqualTo(503);
                assertThat(service.stop()).isIn(0, 143);
                for (String requestId : List.of(first, later, zones)) {
                    assertThat(log.answers(EventLog.MATERIALIZED, requestId)).isEmpty();
                }
                assertThat(sha256(database)).isEqualTo(file);
                assertThat(sha256(wal)).isEqualTo(walAtDetection);
            }
        }
        assertThat(Files.readString(serviceLog)).contains("DATABASE_CORRUPT: DuckDB reports the DuckDB file");
    }

    /**
     * The block holding a table's data. A block no statement reads (a free one, or one of a table no load touches)
     * can be overwritten unnoticed: DuckDB verifies a block's checksum when it reads the block. Every load appends to
     * the outbox, and the checkpoint after it rewrites the outbox's last row group, reading this block.
     */
    private static long blockOf(Path database, String table) {
        return Fixtures.queryLong(database, "SELECT max(block_id) FROM pragma_storage_info('" + table + "') "
                + "WHERE persistent");
    }

    /**
     * Garbage over 32 KiB in the middle of {@code block}, as a failing disk or a stray write would leave it (zeros
     * would not do: the unused tail of a block is zeros already).
     */
    private static void overwriteMiddleOfBlock(Path database, long block) throws IOException {
        long blockSize = Fixtures.queryLong(database, "SELECT block_size FROM pragma_database_size() "
                + "WHERE database_name = current_database()");
        // DuckDB's file: three 4 KiB headers, then the blocks.
        long offset = 3 * 4096 + block * blockSize + blockSize / 2 - CORRUPT_BYTES / 2;
        try (RandomAccessFile file = new RandomAccessFile(database.toFile(), "rw")) {
            assertThat(file.length()).isGreaterThanOrEqualTo(offset + CORRUPT_BYTES);
            file.seek(offset);
            byte[] garbage = new byte[CORRUPT_BYTES];
            new Random(31).nextBytes(garbage);
            file.write(garbage);
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        if (!Files.exists(file)) {
            return "absent";
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
