package dev.dumpflow.sidecar;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.FetchLocation;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.sidecar.emit.EventComposer;
import dev.dumpflow.sidecar.emit.HttpEventPoster;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;

/**
 * Runs once at start-up what the first announcement would otherwise do cold: JSON for the event,
 * the CloudEvents binary-mode writer, and the HTTP client (by probing the sidecar's own health
 * endpoint). With the thin JVM flags the first dump's close-to-event time would otherwise lose a
 * few hundred milliseconds to class loading, and the target is one second.
 */
final class WarmUp {

    private static final System.Logger LOG = System.getLogger(WarmUp.class.getName());

    private WarmUp() {}

    static void run(EventComposer composer, HttpEventPoster poster, PodIdentity pod, int port) {
        URI health = URI.create("http://127.0.0.1:" + port + "/healthz");
        DumpClosed sample =
                new DumpClosed(
                        "warm-up",
                        "warm-up",
                        0,
                        Instant.EPOCH,
                        DumpFormat.UNKNOWN,
                        DumpCause.UNKNOWN,
                        null,
                        new FetchLocation(health, "warm-up", Instant.EPOCH),
                        pod);
        CloudEvent event = composer.compose(EventTypes.DUMP_CLOSED, "warm-up", "warm-up", sample);
        HttpMessageFactory.createWriter((name, value) -> {}, body -> {}).writeBinary(event);
        try {
            int status = poster.probe(health);
            // /healthz answers 503 "starting" until the watchers run: here, 503 is the good answer.
            LOG.log(
                    INFO,
                    "self-check: file server reachable on {1} (answers {0,number,#} while the"
                            + " sidecar starts)",
                    status,
                    health);
        } catch (IOException failed) {
            LOG.log(WARNING, "self-check: file server did not answer on " + health, failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
