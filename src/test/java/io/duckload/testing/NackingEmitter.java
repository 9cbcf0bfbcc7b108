package io.duckload.testing;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * An emitter whose broker refuses the first sends: each message is nacked (as SmallRye does when the producer gave
 * up on a record) until {@code refusals} are used up, then acked. It records every payload it was given.
 */
public final class NackingEmitter implements Emitter<String> {

    private final AtomicInteger refusals;
    private final List<String> sent = new CopyOnWriteArrayList<>();

    public NackingEmitter(int refusals) {
        this.refusals = new AtomicInteger(refusals);
    }

    @Override
    public <M extends Message<? extends String>> void send(M message) {
        sent.add(message.getPayload());
        if (refusals.getAndDecrement() > 0) {
            message.nack(new IllegalStateException("broker away (refusal of the test's emitter)"));
        } else {
            message.ack();
        }
    }

    @Override
    public CompletionStage<Void> send(String payload) {
        send(Message.of(payload));
        return CompletableFuture.completedFuture(null);
    }

    /** Every payload given to the emitter, refused or not, in order. */
    public List<String> sent() {
        return List.copyOf(sent);
    }

    @Override
    public void complete() {
    }

    @Override
    public void error(Exception e) {
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean hasRequests() {
        return true;
    }
}
