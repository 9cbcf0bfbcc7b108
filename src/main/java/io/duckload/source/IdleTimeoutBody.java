package io.duckload.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body of the JDK HttpClient as an InputStream whose every read waits at most {@code idle} for the
 * next bytes. The client's own request timeout ends with the headers; without this a server that stops sending
 * mid-body would hold a load forever. It requests one chunk at a time, so a slow reader slows the server down.
 */
final class IdleTimeoutBody extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {

    private static final Object END = new Object();
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final long idleNanos;
    private final Duration idle;
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> chunk = Collections.emptyIterator();
    private ByteBuffer current = EMPTY;
    private boolean finished;

    IdleTimeoutBody(Duration idle) {
        this.idle = idle;
        this.idleNanos = idle.toNanos();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        arrived.add(item);
    }

    @Override
    public void onError(Throwable failure) {
        arrived.add(failure);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!current.hasRemaining()) {
            if (chunk.hasNext()) {
                current = chunk.next();
            } else if (finished || !nextChunk()) {
                return -1;
            }
        }
        int n = Math.min(length, current.remaining());
        current.get(into, offset, n);
        return n;
    }

    /** Waits for the next chunk; false at the end of the body. */
    @SuppressWarnings("unchecked")
    private boolean nextChunk() throws IOException {
        Object next;
        try {
            next = arrived.poll(idleNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("interrupted while reading the body");
        }
        if (next == null) {
            close();
            throw new SocketTimeoutException("no bytes of the body arrived for " + idle.toMillis() + " ms");
        }
        if (next == END) {
            finished = true;
            return false;
        }
        if (next instanceof Throwable failure) {
            finished = true;
            throw failure instanceof IOException io ? io : new IOException(failure);
        }
        chunk = ((List<ByteBuffer>) next).iterator();
        subscription.request(1);
        return true;
    }

    /** Stops the download: the client drops the connection if the body was not read to its end. */
    @Override
    public void close() {
        finished = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
