package io.duckload.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * An emitter whose broker refuses the first sends: each message's Uni fails (as SmallRye's does when the producer
 * gave up on a record) until {@code refusals} are used up, then completes. It records every payload it was given.
 */
public final class NackingEmitter implements MutinyEmitter<String> {

    private final AtomicInteger refusals;
    private final List<String> sent = new CopyOnWriteArrayList<>();

    public NackingEmitter(int refusals) {
        this.refusals = new AtomicInteger(refusals);
    }

    @Override
    public <M extends Message<? extends String>> Uni<Void> sendMessage(M message) {
        return Uni.createFrom().emitter(emitter -> {
            sent.add(message.getPayload());
            if (refusals.getAndDecrement() > 0) {
                emitter.fail(new IllegalStateException("broker away (refusal of the test's emitter)"));
            } else {
                emitter.complete(null);
            }
        });
    }

    /** Every payload given to the emitter, refused or not, in order. */
    public List<String> sent() {
        return List.copyOf(sent);
    }

    @Override
    public Uni<Void> send(String payload) {
        return sendMessage(Message.of(payload));
    }

    @Override
    public void sendAndAwait(String payload) {
        send(payload).await().indefinitely();
    }

    @Override
    public Cancellable sendAndForget(String payload) {
        return send(payload).subscribe().with(done -> { }, failure -> { });
    }

    @Override
    public <M extends Message<? extends String>> void send(M message) {
        sendMessageAndForget(message);
    }

    @Override
    public <M extends Message<? extends String>> void sendMessageAndAwait(M message) {
        sendMessage(message).await().indefinitely();
    }

    @Override
    public <M extends Message<? extends String>> Cancellable sendMessageAndForget(M message) {
        return sendMessage(message).subscribe().with(done -> { }, failure -> { });
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
