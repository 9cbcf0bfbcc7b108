package io.duckload.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * What one logging category of the service running in this JVM (a {@code @QuarkusTest}'s) writes while the capture
 * is open, as formatted messages: for asserting on what the service itself reports, not on its internals.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    /** Held here: the JDK's logging keeps loggers weakly, and the handler must stay attached. */
    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
    }

    /** Starts capturing the messages of {@code category} (a class name, as the service's loggers are named). */
    public static LogCapture of(String category) {
        LogCapture capture = new LogCapture(Logger.getLogger(category));
        capture.logger.addHandler(capture);
        return capture;
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void publish(LogRecord record) {
        messages.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
