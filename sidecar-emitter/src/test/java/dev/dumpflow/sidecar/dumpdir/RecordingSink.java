package dev.dumpflow.sidecar.dumpdir;

import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.sidecar.emit.EventSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** An event sink that keeps what it was given, with the time it arrived. */
final class RecordingSink implements EventSink {

    record Emitted(String type, String subject, String dumpId, DumpClosed data) {}

    private final List<Emitted> emitted = new ArrayList<>();

    @Override
    public synchronized void emit(String type, String subject, String dumpId, Object data) {
        emitted.add(new Emitted(type, subject, dumpId, (DumpClosed) data));
        notifyAll();
    }

    synchronized List<Emitted> all() {
        return List.copyOf(emitted);
    }

    synchronized List<String> fileNames() {
        return emitted.stream().map(e -> e.data().fileName()).toList();
    }

    /** Waits for an announcement of the named file. */
    synchronized Emitted await(String fileName, Duration timeout) throws InterruptedException {
        return await(e -> e.data().fileName().equals(fileName), timeout);
    }

    synchronized Emitted await(Predicate<Emitted> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Emitted e : emitted) {
                if (condition.test(e)) {
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(
                        "not announced within " + timeout + "; got " + fileNames());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
