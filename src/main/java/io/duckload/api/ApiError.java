package io.duckload.api;

/**
 * Error body of the HTTP API: the stable error code and a message.
 *
 * @param code an {@link io.duckload.failure.ErrorCode} name, or {@code BROKER_UNAVAILABLE}
 * @param message what is wrong
 */
public record ApiError(String code, String message) {
}
