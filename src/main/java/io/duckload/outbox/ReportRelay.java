package io.duckload.outbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
import io.duckload.failure.Pause;
import io.duckload.failure.RetryPolicy;
import io.duckload.warehouse.Writer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Delivers the outbox rows of the integrations (Dagster, OpenLineage over HTTP or Kafka), each destination on a
 * thread of its own, retrying with the service's retry policy, without limit, while the integration is down. A
 * reply a retry would not change ({@link ReportRefusedException}) parks the row instead ({@link RefusedReports})
 * until an operator re-sends it. It never polls the DuckDB file: rows come in memory from the commit that stored
 * them, and once at start from the file (those a crash or a stop left undelivered). Loads, their Kafka events and
 * readiness never wait for it.
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
    /** Added to the request timeout when the API reads parked reports: the writer may be mid-load. */
    private static final Duration READ_PATIENCE = Duration.ofSeconds(30);

    /** Sends one report; throws when the integration did not take it. */
    interface Sender {
        void send(Report report) throws IOException, InterruptedException;
    }

    private final Writer writer;
    private final OutboxTable outbox;
    private final RefusedReports refused;
    private final SentMarks marks;
    private final RetryPolicy policy;
    private final Pause pause;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final Map<String, Delivery> deliveries = new LinkedHashMap<>();

    public ReportRelay(Writer writer, OutboxTable outbox, RefusedReports refused, SentMarks marks,
            EventPublisher publisher, DuckloadConfig config, MeterRegistry registry, Pause pause) {
        this.writer = writer;
        this.outbox = outbox;
        this.refused = refused;
        this.marks = marks;
        this.policy = config.retry().resends();
        this.pause = pause;
        this.client = HttpClient.newBuilder().connectTimeout(config.http().connectTimeout()).build();
        this.requestTimeout = config.http().requestTimeout();
        config.dagster().url().ifPresent(url -> add(DAGSTER, registry,
                report -> post(URI.create(slash(url) + report.path()), report, config.dagster().token()
                        .map(token -> Map.of("Dagster-Cloud-Api-Token", token)).orElse(Map.of()))));
        config.openlineage().url().ifPresent(url -> add(OPENLINEAGE, registry, report -> post(url, report,
                config.openlineage().apiKey().map(key -> Map.of("Authorization", "Bearer " + key))
                        .orElse(Map.of()))));
        config.openlineage().topic().ifPresent(topic -> add(OPENLINEAGE_KAFKA, registry, report -> {
            try {
                publisher.send(report.event()).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
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
            Optional.ofNullable(deliveries.get(report.destination())).ifPresent(d -> d.offer(report));
        }
    }

    /**
     * Stores {@code reports} answering {@code requestId} without a load (a failed one's OpenLineage START and FAIL)
     * in a small transaction of their own, then queues them. Does not wait; if the file cannot be written either,
     * they are dropped with a warning.
     */
    public void storeAndQueue(String requestId, List<Report> reports) {
        writer.run(connection -> {
            outbox.enqueue(connection, null, requestId, reports);
            return reports;
        }, this::committed).exceptionally(e -> {
            LOG.warnf("Reports of request %s not stored: %s", requestId, e.getMessage());
            return null;
        });
    }

    /** The reports parked as refused, oldest refusal first (read beside the writer, like the API's reads). */
    public List<RefusedReport> refused() throws SQLException {
        try {
            return writer.readBeside(refused::list, requestTimeout.plus(READ_PATIENCE));
        } finally {
            // A read may have attached the idle file; hand it back to dbt.
            writer.releaseIfIdle();
        }
    }

    /**
     * Un-parks every refused report and queues it for delivery (once the cause is fixed); completes with how many
     * once they are unsent rows again. One that is refused again is parked again.
     */
    public CompletableFuture<Integer> resendRefused() {
        return writer.run(refused::unpark, this::committed).thenApply(reports -> {
            LOG.infof("Re-sending %d refused report(s)", reports.size());
            return reports.size();
        });
    }

    private void add(String destination, MeterRegistry registry, Sender sender) {
        deliveries.put(destination, new Delivery(destination, sender, registry));
    }

    private void post(URI uri, Report report, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(report.event().payload()));
        headers.forEach(request::header);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (ReportRefusedException.isFinal(status)) {
            throw new ReportRefusedException(status, response.body());
        }
        if (status / 100 != 2) {
            // 5xx, 408, 429: the integration may take it later.
            throw new IOException("HTTP " + status + " " + ReportRefusedException.start(response.body()));
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
        final LinkedBlockingQueue<Report> queue = new LinkedBlockingQueue<>();
        /** Ids queued or being delivered: a row read at start may also arrive from its commit. */
        final Set<String> known = ConcurrentHashMap.newKeySet();
        final ExecutorService thread;
        final Counter sent;
        final Counter failed;
        final Counter refusedCount;
        final ReportSend send;

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
            this.refusedCount = Counter.builder("duckload.reports.refused").tag("destination", destination)
                    .description("Reports the integration refused for good (4xx, a redirect): parked, not retried")
                    .register(registry);
            this.send = new ReportSend(destination, sender, policy, pause, failed);
        }

        void offer(Report report) {
            if (known.add(report.event().eventId())) {
                queue.add(report);
            }
        }

        void deliverForever() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Report report = queue.take();
                    OutboxEvent row = report.event();
                    if (!deliver(report)) {
                        continue;
                    }
                    sent.increment();
                    // Marked with the Kafka events' marks, in one transaction; a mark lost in a crash means the row
                    // is delivered once more after the restart (at least once).
                    marks.markSent(row.eventId()).whenComplete((done, e) -> known.remove(row.eventId()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Sends {@code report}, retrying; false when the integration refused it for good (then it is parked). */
        private boolean deliver(Report report) throws InterruptedException {
            try {
                send.send(report);
                return true;
            } catch (ReportRefusedException e) {
                park(report.event(), e);
                return false;
            }
        }

        private void park(OutboxEvent row, ReportRefusedException e) {
            refusedCount.increment();
            LOG.warnf("%s report %s (%s of %s) refused with HTTP %s: parked, not retried; re-send it with"
                    + " POST /reports/refused/resend once the cause is fixed", destination, row.eventId(), row.type(),
                    row.subject(), e.refusal());
            writer.run(connection -> {
                refused.park(connection, row.eventId(), e.status(), e.reply());
                return null;
            }).whenComplete((done, failure) -> {
                known.remove(row.eventId());
                if (failure != null) {
                    LOG.errorf("Parking refused %s report %s failed (it is sent again after the next start): %s",
                            destination, row.eventId(), failure.toString());
                }
            });
        }
    }
}
