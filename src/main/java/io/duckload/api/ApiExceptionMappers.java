package io.duckload.api;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/** Turns invalid API requests into {@link ApiError} bodies: an unknown dataset is 404, any other 400. */
public class ApiExceptionMappers {

    @ServerExceptionMapper
    public Response invalid(LoadException e) {
        int status = e.code() == ErrorCode.UNKNOWN_DATASET ? 404 : 400;
        return Response.status(status).entity(new ApiError(e.code().name(), e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response brokerUnavailable(BrokerUnavailableException e) {
        return Response.status(503).entity(new ApiError("BROKER_UNAVAILABLE", e.getMessage())).build();
    }

    /** The broker did not acknowledge a request in time. */
    public static class BrokerUnavailableException extends RuntimeException {
        public BrokerUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
