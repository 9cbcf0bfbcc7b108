package io.duckload.outbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.failure.Backoff;
import io.duckload.failure.RetryPolicy;
import io.duckload.warehouse.Writer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Delivers the outbox rows of the integrations (Dagster, OpenLineage over HTTP or Kafka), each destination on a
 * thread of its own, retrying with the service's retry policy, without limit, while the integration is down. It
 * never polls the DuckDB file: rows come in memory from the commit that stored them, and once at start from the
 * file (those a crash or a stop left undelivered). Loads, their Kafka events and readiness never wait for it.
 */
@ApplicationScoped
public class ReportRelay {

    /** Outbox destination of Dagster's external-assets REST API. */
    public static final String DAGSTER = "dagster";
    /** Outbox destination of OpenLineage run events POSTed to {@code duckload.openlineage.url}. */
    public static final String OPENLINEAGE = "openlineage";
    /** Outbox destination of OpenLineage run events sent to {@code duckload.openlineage.topic}. */
    public static final String OPENLINEAGE_KAFKA = "openlineage-kafka";

    private static final Logger LOG = Logger.getLogger(ReportRelay.class);

    /** Sends one row; throws when the integration did not take it. */
    interface Sender {
        void send(OutboxEvent row) throws IOException, InterruptedException;
    }

    private final Writer writer;
    private final OutboxTable outbox;
    private final SentMarks marks;
    private final RetryPolicy policy;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final Map<String, Delivery> deliveries = new LinkedHashMap<>();

    public ReportRelay(Writer writer, OutboxTable outbox, SentMarks marks, EventPublisher publisher,
            DuckloadConfig config, MeterRegistry registry) {
        this.writer = writer;
        this.outbox = outbox;
        this.marks = marks;
        this.policy = config.retry().policy().unbounded();
        this.client = HttpClient.newBuilder().connectTimeout(config.http().connectTimeout()).build();
        this.requestTimeout = config.http().requestTimeout();
        config.dagster().url().ifPresent(url -> add(DAGSTER, registry,
                row -> post(URI.create(slash(url) + row.topic()), row, config.dagster().token()
                        .map(token -> Map.of("Dagster-Cloud-Api-Token", token)).orElse(Map.of()))));
        config.openlineage().url().ifPresent(url -> add(OPENLINEAGE, registry, row -> post(url, row,
                config.openlineage().apiKey().map(key -> Map.of("Authorization", "Bearer " + key))
                        .orElse(Map.of()))));
        config.openlineage().topic().ifPresent(topic -> add(OPENLINEAGE_KAFKA, registry, row -> {
            try {
                publisher.send(row).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("broker did not acknowledge: " + e, e);
            }
        }));
    }

    void onStart(@Observes StartupEvent start) {
        for (Delivery delivery : deliveries.values()) {
            writer.read(connection -> outbox.unsentTo(connection, delivery.destination), ignored -> {
            }).thenAccept(unsent -> {
                if (!unsent.isEmpty()) {
                    LOG.infof("Delivering %d %s report(s) left undelivered by an earlier run", unsent.size(),
                            delivery.destination);
                }
                unsent.forEach(delivery::offer);
            }).exceptionally(e -> {
                LOG.errorf(e, "Reading undelivered %s reports failed; they are delivered after the next start",
                        delivery.destination);
                return null;
            });
            delivery.thread.execute(delivery::deliverForever);
        }
    }

    /** After the commit that stored {@code reports}: queues them for delivery. */
    public void committed(List<Report> reports) {
        for (Report report : reports) {
            Optional.ofNullable(deliveries.get(report.destination())).ifPresent(d -> d.offer(report.event()));
        }
    }

    private void add(String destination, MeterRegistry registry, Sender sender) {
        deliveries.put(destination, new Delivery(destination, sender, registry));
    }

    private void post(URI uri, OutboxEvent row, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(row.payload()));
        headers.forEach(request::header);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String body = response.body();
            throw new IOException("HTTP " + response.statusCode() + " "
                    + (body.length() <= 200 ? body : body.substring(0, 200) + "..."));
        }
    }

    private static String slash(URI base) {
        return base.toString().endsWith("/") ? base.toString() : base + "/";
    }

    @PreDestroy
    void stop() {
        // Undelivered rows stay unsent in the outbox and are delivered after the next start.
        deliveries.values().forEach(d -> d.thread.shutdownNow());
    }

    /** The queue, thread and meters of one destination, so that one integration being down holds up no other. */
    private final class Delivery {

        final String destination;
        final Sender sender;
        final LinkedBlockingQueue<OutboxEvent> queue = new LinkedBlockingQueue<>();
        /** Ids queued or being delivered: a row read at start may also arrive from its commit. */
        final Set<String> known = ConcurrentHashMap.newKeySet();
        final ExecutorService thread;
        final Counter sent;
        final Counter failed;

        Delivery(String destination, Sender sender, MeterRegistry registry) {
            this.destination = destination;
            this.sender = sender;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread created = new Thread(r, "duckload-report-relay-" + destination);
                created.setDaemon(true);
                return created;
            });
            Gauge.builder("duckload.reports.pending", known, Set::size).tag("destination", destination)
                    .description("Reports of loads not yet accepted by the integration").register(registry);
            this.sent = Counter.builder("duckload.reports.sent").tag("destination", destination)
                    .description("Reports the integration accepted").register(registry);
            this.failed = Counter.builder("duckload.reports.failed").tag("destination", destination)
                    .description("Report attempts the integration refused or did not answer (each is retried)")
                    .register(registry);
        }

        void offer(OutboxEvent row) {
            if (known.add(row.eventId())) {
                queue.add(row);
            }
        }

        void deliverForever() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    OutboxEvent row = queue.take();
                    deliver(row);
                    sent.increment();
                    // Marked with the Kafka events' marks, in one transaction; a mark lost in a crash means the row
                    // is delivered once more after the restart (at least once).
                    marks.markSent(row.eventId()).whenComplete((done, e) -> known.remove(row.eventId()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void deliver(OutboxEvent row) throws InterruptedException {
            Backoff backoff = policy.backoff();
            for (int attempt = 1;; attempt++) {
                try {
                    sender.send(row);
                    return;
                } catch (IOException | RuntimeException e) {
                    failed.increment();
                    Duration wait = backoff.next();
                    LOG.warnf("%s report %s of %s not accepted (attempt %d), retrying in %d ms: %s", destination,
                            row.eventId(), row.subject(), attempt, wait.toMillis(), e.toString());
                    TimeUnit.MILLISECONDS.sleep(wait.toMillis());
                }
            }
        }
    }
}
