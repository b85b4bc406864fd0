package dev.dumpflow.sidecar.outbox;

import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.Samples;
import dev.dumpflow.sidecar.emit.EventComposer;
import io.cloudevents.CloudEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

/**
 * Not a test: measures what storing an event in the outbox (write, fsync, rename, directory fsync)
 * adds to an emit, on the disk under the given directory. Run it as the report in
 * docs/reliability.md says; the figures depend on the disk, so they are not asserted anywhere.
 */
public final class OutboxLatency {

    private OutboxLatency() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : "/tmp"), "outbox");
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        EventComposer composer = new EventComposer(Samples.pod(), Map.of(), Clock.systemUTC());
        Outbox outbox = Outbox.open(new OutboxConfig(dir.resolve("outbox"), events + 100));
        CloudEvent firstEvent = compose(composer);
        long coldStart = System.nanoTime();
        outbox.add(firstEvent);
        long coldNanos = System.nanoTime() - coldStart;
        for (int i = 0; i < 50; i++) {
            outbox.add(compose(composer));
        }
        long[] composeNanos = new long[events];
        long[] storeNanos = new long[events];
        for (int i = 0; i < events; i++) {
            long start = System.nanoTime();
            CloudEvent event = compose(composer);
            long composed = System.nanoTime();
            outbox.add(event);
            long stored = System.nanoTime();
            composeNanos[i] = composed - start;
            storeNanos[i] = stored - composed;
        }
        System.out.printf(
                "%d events in %s%nfirst store in this JVM: %.3f ms%ncompose: %s%n"
                        + "store (write+fsync+rename+dir fsync): %s%n",
                events, dir, coldNanos / 1e6, percentiles(composeNanos), percentiles(storeNanos));
    }

    private static CloudEvent compose(EventComposer composer) {
        return composer.compose(EventTypes.DUMP_CLOSED, "d", "d", Samples.dumpClosed());
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return "p50 %.3f ms, p99 %.3f ms, max %.3f ms"
                .formatted(
                        sorted[sorted.length / 2] / 1e6,
                        sorted[(int) (sorted.length * 0.99)] / 1e6,
                        sorted[sorted.length - 1] / 1e6);
    }
}
