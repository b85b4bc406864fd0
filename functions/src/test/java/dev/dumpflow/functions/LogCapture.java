package dev.dumpflow.functions;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Records every log line of the application, from every thread, as formatted text: installed on the
 * root logger of the JBoss log manager for the duration of a test.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
        setLevel(Level.ALL);
    }

    /** Starts capturing. */
    public static LogCapture install() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    /** Every line so far, with its logger and level. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The whole captured output, with exception texts. */
    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void publish(LogRecord record) {
        String message =
                record instanceof ExtLogRecord ext
                        ? ext.getFormattedMessage()
                        : String.valueOf(record.getMessage());
        StringBuilder line =
                new StringBuilder()
                        .append(record.getLevel())
                        .append(' ')
                        .append(record.getLoggerName())
                        .append(": ")
                        .append(message);
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            line.append(" | ").append(t);
        }
        lines.add(line.toString());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
