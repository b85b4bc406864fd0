package dev.dumpflow.sidecar.memory;

import dev.dumpflow.sidecar.emit.EventSink;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An {@link EventSink} that keeps what it is given, for tests. */
public final class RecordingSink implements EventSink {

    /**
     * One emitted event.
     *
     * @param type the type
     * @param subject the subject
     * @param dumpId the dumpId, or null
     * @param data the payload
     */
    public record Emitted(String type, String subject, String dumpId, Object data) {}

    private final BlockingQueue<Emitted> events = new LinkedBlockingQueue<>();

    @Override
    public void emit(String type, String subject, String dumpId, Object data) {
        events.add(new Emitted(type, subject, dumpId, data));
    }

    /** The next event, waiting at most the timeout; fails the test when none comes. */
    public Emitted next(Duration timeout) throws InterruptedException {
        Emitted e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + timeout);
        }
        return e;
    }

    /** Whether nothing more arrived. */
    public boolean isEmpty() {
        return events.isEmpty();
    }
}
