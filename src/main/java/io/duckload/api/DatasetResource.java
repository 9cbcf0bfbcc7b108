package io.duckload.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.duckload.api.AcceptedRequests.Accepted;
import io.duckload.api.ApiExceptionMappers.BrokerUnavailableException;
import io.duckload.catalog.Dataset;
import io.duckload.catalog.Partition;

/** The HTTP API: the catalog, each partition's status, and requests published to {@code partition-requested}. */
@Path("/datasets")
@Produces(MediaType.APPLICATION_JSON)
@SecuritySchemes({
        @SecurityScheme(securitySchemeName = DatasetResource.BEARER, type = SecuritySchemeType.HTTP,
                scheme = "bearer", bearerFormat = "JWT",
                description = "A JWT signed by the configured key; roles from its groups claim"),
        @SecurityScheme(securitySchemeName = DatasetResource.BASIC, type = SecuritySchemeType.HTTP, scheme = "basic",
                description = "A user of quarkus.security.users.embedded, if the operator configured any") })
public class DatasetResource {

    static final String BEARER = "bearer";
    static final String BASIC = "basic";
    /** Role that may publish requests: {@code duckload.api.operator-role}. */
    static final String OPERATOR = "${duckload.api.operator-role}";

    private static final long ACK_TIMEOUT_SECONDS = 30;

    private final Datasets datasets;
    private final RequestPublisher publisher;

    public DatasetResource(Datasets datasets, RequestPublisher publisher) {
        this.datasets = datasets;
        this.publisher = publisher;
    }

    @GET
    @Operation(summary = "The datasets of the catalog")
    public List<DatasetView> list() {
        return datasets.views();
    }

    @GET
    @Path("/{name}/partitions")
    @Operation(summary = "Every partition of a dataset with its status: materialized, failed or never")
    @APIResponse(responseCode = "200", description = "Partitions, oldest first")
    @APIResponse(responseCode = "404", description = "Unknown dataset")
    public List<PartitionStatus> partitions(@PathParam("name") String name) {
        return datasets.statuses(datasets.require(name));
    }

    @GET
    @Path("/{name}/summary")
    @Operation(summary = "The partitions summarised: counts by status, failed and never requested ranges, the "
            + "failed and warned partitions in full, and every partition's key, status, rows and duration as columns")
    @APIResponse(responseCode = "200", description = "The summary, partitions oldest first")
    @APIResponse(responseCode = "404", description = "Unknown dataset")
    public PartitionSummary summary(@PathParam("name") String name) {
        return datasets.summary(datasets.require(name));
    }

    @POST
    @Path("/{name}/partitions/{partition}")
    @Operation(summary = "Requests one partition; answers once the broker acknowledged the request")
    @RolesAllowed(OPERATOR)
    @SecurityRequirement(name = BEARER)
    @SecurityRequirement(name = BASIC)
    @APIResponse(responseCode = "202", description = "Request published")
    @APIResponse(responseCode = "401", description = "No or invalid credentials")
    @APIResponse(responseCode = "403", description = "Authenticated without the operator role")
    @APIResponse(responseCode = "400", description = "Not a partition of the dataset's definition")
    @APIResponse(responseCode = "404", description = "Unknown dataset")
    public Response requestPartition(@PathParam("name") String name, @PathParam("partition") String partition) {
        Dataset dataset = datasets.require(name);
        return publish(dataset, List.of(Optional.of(datasets.partition(dataset, partition))));
    }

    @POST
    @Path("/{name}/requests")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Requests a range of partitions (from and to included), or an unpartitioned dataset")
    @RolesAllowed(OPERATOR)
    @SecurityRequirement(name = BEARER)
    @SecurityRequirement(name = BASIC)
    @APIResponse(responseCode = "202", description = "Requests published, one per partition")
    @APIResponse(responseCode = "401", description = "No or invalid credentials")
    @APIResponse(responseCode = "403", description = "Authenticated without the operator role")
    @APIResponse(responseCode = "400", description = "A bad key or range")
    @APIResponse(responseCode = "404", description = "Unknown dataset")
    public Response requestRange(@PathParam("name") String name, RangeRequest range) {
        Dataset dataset = datasets.require(name);
        RangeRequest body = range == null ? new RangeRequest(null, null) : range;
        if (!dataset.partitioned() && body.from() == null && body.to() == null) {
            return publish(dataset, List.of(Optional.empty()));
        }
        return publish(dataset, datasets.range(dataset, body.from(), body.to()).stream().map(Optional::of).toList());
    }

    private Response publish(Dataset dataset, List<Optional<Partition>> partitions) {
        List<String> keys = partitions.stream().map(p -> p.map(Partition::key).orElse(null)).toList();
        List<CompletableFuture<String>> sent = keys.stream().map(key -> publisher.publish(dataset.name(), key))
                .toList();
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(ACK_TIMEOUT_SECONDS,
                    TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new BrokerUnavailableException("the broker did not acknowledge the request(s): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while waiting for the broker", e);
        }
        List<Accepted> accepted = new java.util.ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            accepted.add(new Accepted(sent.get(i).join(), keys.get(i)));
        }
        return Response.accepted(new AcceptedRequests(dataset.name(), accepted)).build();
    }
}
