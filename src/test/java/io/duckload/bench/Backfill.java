package io.duckload.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;

/** The 12-month backfill, the example's way and through the service. */
final class Backfill {

    static final String COLUMNS = DirectLoads.TRIPS_COLUMNS;

    private Backfill() {
    }

    /** Time of the one-at-a-time backfill, and how much of it went to fetching and to loading. */
    record Sequential(double totalMs, double fetchMs, double loadMs) {

        /**
         * The most that overlapping fetching with loading can gain when fetches cannot run faster together than
         * alone (one shared bandwidth): (fetch + load) / max(fetch, load).
         */
        double overlapBound() {
            return (fetchMs + loadMs) / Math.max(fetchMs, loadMs);
        }
    }

    /** Download a month, load it, then the next: what one Dagster run per partition does. */
    static Sequential oneAtATime(Connection connection, String baseUrl, Path dir) throws Exception {
        Files.createDirectories(dir);
        HttpClient http = HttpClient.newHttpClient();
        long start = System.nanoTime();
        double loadMs = 0;
        for (int m = 1; m <= 12; m++) {
            String month = String.format("2022-%02d", m);
            Path file = dir.resolve(month + ".parquet");
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                    URI.create(baseUrl + "yellow_tripdata_" + month + ".parquet")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
            }
            loadMs += DirectLoads.month(connection, "remote_trips", month, file);
            Files.delete(file);
        }
        double totalMs = (System.nanoTime() - start) / 1e6;
        return new Sequential(totalMs, totalMs - loadMs, loadMs);
    }

    /** One backfill request for the twelve months; done when the twelfth event arrived. */
    static double throughService(RawKafka kafka) throws Exception {
        String requestId = UUID.randomUUID().toString();
        long sent = kafka.sendRaw("remote_trips/backfill", "{\"requestId\":\"" + requestId
                + "\",\"dataset\":\"remote_trips\",\"partitions\":{\"from\":\"2022-01\",\"to\":\"2022-12\"}}");
        long last = 0;
        for (int m = 1; m <= 12; m++) {
            last = Math.max(last, kafka.awaitArrival(requestId + "/" + String.format("2022-%02d-01", m),
                    Duration.ofMinutes(5)));
        }
        return (last - sent) / 1e6;
    }

    /** The dataset the service reads the months from, served by {@code baseUrl}. */
    static String datasetConfig(String baseUrl) {
        return """
                duckload.datasets.remote_trips.table=remote_trips
                duckload.datasets.remote_trips.mode=replace-partition
                duckload.datasets.remote_trips.columns=%s
                duckload.datasets.remote_trips.partitioning.granularity=monthly
                duckload.datasets.remote_trips.partitioning.start=2022-01-01
                duckload.datasets.remote_trips.partitioning.column=partition_date
                duckload.datasets.remote_trips.partitioning.value-format=yyyy-MM
                duckload.datasets.remote_trips.source=%syellow_tripdata_{YYYY-MM}.parquet
                duckload.datasets.remote_trips.select=%s{partition_value} from {source}
                """.formatted(COLUMNS, baseUrl, DirectLoads.TRIPS_SELECT);
    }
}
