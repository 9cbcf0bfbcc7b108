package io.duckload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.contracts.PartitionRequested;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;
import io.duckload.testing.DefaultConfig;

/**
 * A defect in planning (an exception that is not a {@link LoadException}) answers the request as INTERNAL and
 * acknowledges its record, and gives its in-flight permit back: the consumer goes on with the next record instead
 * of failing the stream with the permit held.
 */
class PlanningDefectTest {

    @TempDir
    Path dir;

    @Test
    void aPlanningDefectIsAnsweredAsInternalAndFreesThePermit() throws Exception {
        DuckloadConfig config = DefaultConfig.of(dir.resolve("d.duckdb"), "duckload.pipeline.max-in-flight", "1");
        List<LoadException> answers = new CopyOnWriteArrayList<>();
        RejectStep rejects = (request, failure) -> answers.add(failure);
        RequestPipeline pipeline = new RequestPipeline(load -> {
            throw new AssertionError("nothing is planned, nothing loads");
        }, rejects, Runnable::run);
        RequestPlanner broken = new RequestPlanner(null, config) {
            @Override
            public List<PlannedLoad> plan(PartitionRequested request) {
                throw new IllegalStateException("a defect for " + request.requestId());
            }
        };
        RequestConsumer consumer = new RequestConsumer(new RequestParser(new ObjectMapper()), broken, pipeline, null,
                config, null);
        AtomicInteger acked = new AtomicInteger();

        // One permit: the second record is taken only if the first gave its permit back.
        for (int i = 0; i < 2; i++) {
            String id = "defect-" + UUID.randomUUID();
            consumer.take(Message.of("{\"requestId\":\"" + id + "\",\"dataset\":\"taxi_trips\","
                    + "\"partition\":\"2023-01\"}", () -> {
                        acked.incrementAndGet();
                        return CompletableFuture.completedFuture(null);
                    })).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(answers).hasSize(i + 1);
            assertThat(answers.get(i).code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(answers.get(i)).hasMessageContaining("a defect for " + id);
        }
        assertThat(acked).hasValue(2);
    }
}
