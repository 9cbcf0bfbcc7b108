package io.duckload.api;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.duckload.outbox.RefusedReport;
import io.duckload.outbox.ReportRelay;

/** Reports to Dagster or OpenLineage that the integration refused for good: parked, listed, re-sent on demand. */
@Path("/reports/refused")
@Produces(MediaType.APPLICATION_JSON)
public class ReportResource {

    private static final long RESEND_TIMEOUT_SECONDS = 60;

    private final ReportRelay relay;

    public ReportResource(ReportRelay relay) {
        this.relay = relay;
    }

    /** How many parked reports an operator's re-send queued for delivery again. */
    public record Resent(int resent) {
    }

    @GET
    @Operation(summary = "Reports an integration refused for good (a 4xx other than 408/429, or a redirect): "
            + "parked, not retried; with the status and the start of the reply")
    public List<RefusedReport> list() throws SQLException {
        return relay.refused();
    }

    @POST
    @Path("/resend")
    @Operation(summary = "Queues every parked report for delivery again, once the cause is fixed; one refused "
            + "again is parked again")
    @RolesAllowed(DatasetResource.OPERATOR)
    @SecurityRequirement(name = DatasetResource.BEARER)
    @SecurityRequirement(name = DatasetResource.BASIC)
    @APIResponse(responseCode = "200", description = "How many reports were queued again")
    @APIResponse(responseCode = "401", description = "No or invalid credentials")
    @APIResponse(responseCode = "403", description = "Authenticated without the operator role")
    public Resent resend() throws SQLException {
        try {
            return new Resent(relay.resendRefused().get(RESEND_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            throw new SQLException("the parked reports could not be queued again: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while queueing the parked reports again", e);
        }
    }
}
