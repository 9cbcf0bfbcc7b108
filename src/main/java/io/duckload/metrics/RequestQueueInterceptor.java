package io.duckload.metrics;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.IncomingInterceptor;

/** Keeps the queue depth gauge: a request counts from its arrival until it is acknowledged or dead-lettered. */
@Identifier("partition-requested")
@ApplicationScoped
public class RequestQueueInterceptor implements IncomingInterceptor {

    private final LoadMetrics metrics;

    public RequestQueueInterceptor(LoadMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Message<?> afterMessageReceive(Message<?> message) {
        metrics.received();
        return message;
    }

    @Override
    public void onMessageAck(Message<?> message) {
        metrics.answered();
    }

    @Override
    public void onMessageNack(Message<?> message, Throwable failure) {
        metrics.answered();
    }
}
