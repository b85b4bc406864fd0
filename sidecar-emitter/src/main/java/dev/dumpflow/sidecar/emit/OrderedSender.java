package dev.dumpflow.sidecar.emit;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import dev.dumpflow.events.EventTypes;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.outbox.Outbox;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The {@link EventSink} that delivers events to {@code K_SINK} one at a time, in the order they
 * were emitted, on its own thread, so that no feature ever waits for the network.
 *
 * <p>Every event is stored in the durable {@link Outbox} before its first attempt, and leaves it
 * only once the sink answers 2xx, so that neither a sink that is down nor a restart of the sidecar
 * loses it; what an earlier run left is sent first. A failed attempt is retried with capped
 * exponential backoff and the same {@code id}; only a refusal that sending again cannot change
 * (400, 413, 415) gives up, moving the event to the outbox's {@code rejected/}. An event that finds
 * the outbox full is lost: that is logged as an error naming it and counted in {@link #lost()}.
 */
public final class OrderedSender implements EventSink, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OrderedSender.class.getName());

    private final EventComposer composer;
    private final Outbox outbox;
    private final HttpEventPoster poster;
    private final RetryPolicy retry;
    private final SidecarMetrics metrics;
    private final Thread worker;

    /** Starts the delivery thread, which begins with what the outbox holds. */
    public OrderedSender(
            EventComposer composer,
            Outbox outbox,
            HttpEventPoster poster,
            RetryPolicy retry,
            SidecarMetrics metrics) {
        this.composer = composer;
        this.metrics = metrics;
        this.outbox = outbox;
        this.poster = poster;
        this.retry = retry;
        if (outbox.size() > 0) {
            LOG.log(INFO, "outbox: {0,number,#} events left from before, sending", outbox.size());
        }
        this.worker = Thread.ofPlatform().name("dumpflow-emit").daemon().start(this::deliverAll);
    }

    @Override
    public void emit(String type, String subject, String dumpId, Object data) {
        CloudEvent event = composer.compose(type, subject, dumpId, data);
        String failure;
        try {
            if (outbox.add(event)) {
                LOG.log(INFO, "{0}: queued {1} id {2}", about(event), type, event.getId());
                return;
            }
            failure = "the outbox is full (" + outbox.maxEvents() + " events wait)";
        } catch (IOException | RuntimeException unstored) {
            failure = "it cannot be stored in the outbox: " + unstored;
        }
        metrics.eventLost();
        long total = metrics.eventsLost();
        LOG.log(
                ERROR,
                "{0}: LOST event {1} id {2} dumpId {3}: {4}; {5,number,#} events lost since start."
                        + " A dump's file stays on disk and is announced again later",
                about(event),
                type,
                event.getId(),
                dumpId == null ? "none" : dumpId,
                failure,
                total);
    }

    /** How many events wait for delivery, counting the one being sent. */
    public int pending() {
        return outbox.size();
    }

    /** How many events were lost since start because the outbox was full or unwritable. */
    public long lost() {
        return metrics.eventsLost();
    }

    /**
     * Stops once the outbox is empty, waiting at most the grace period; what is still undelivered
     * then stays in the outbox for the next start.
     */
    public void close(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (pending() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        worker.interrupt();
        try {
            worker.join(Duration.ofSeconds(2));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        if (pending() > 0) {
            LOG.log(
                    WARNING,
                    "outbox: {0,number,#} events not delivered before stop; they stay in the"
                            + " outbox for the next start",
                    pending());
        }
        if (lost() > 0) {
            LOG.log(ERROR, "outbox: {0,number,#} events were lost since start", lost());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private void deliverAll() {
        try {
            while (true) {
                Outbox.Stored next = outbox.awaitOldest();
                if (deliver(next.event())) {
                    try {
                        outbox.remove(next.entry());
                    } catch (IOException undeletable) {
                        LOG.log(ERROR, "outbox: cannot delete a delivered entry", undeletable);
                        outbox.reject(next.entry());
                    }
                } else {
                    metrics.eventRejected();
                    outbox.reject(next.entry());
                }
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the sink took the event; false when it refused it for good. */
    private boolean deliver(CloudEvent event) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            String failure;
            try {
                int status = poster.post(event);
                if (status >= 200 && status < 300) {
                    metrics.eventDelivered(event.getType());
                    LOG.log(
                            INFO,
                            "{0}: delivered {1} id {2} ({3,number,#}, attempt {4})",
                            about(event),
                            event.getType(),
                            event.getId(),
                            status,
                            attempt);
                    return true;
                }
                if (!RetryPolicy.retryable(status)) {
                    LOG.log(
                            ERROR,
                            "{0}: sink refused {1} id {2} with {3,number,#}; not sent again, as"
                                    + " that cannot succeed; kept in {4}",
                            about(event),
                            event.getType(),
                            event.getId(),
                            status,
                            outbox.rejectedDir());
                    return false;
                }
                failure = "status " + status;
            } catch (IOException unreachable) {
                failure =
                        unreachable.getClass().getSimpleName()
                                + (unreachable.getMessage() == null
                                        ? ""
                                        : ": " + unreachable.getMessage());
            }
            Duration wait = retry.delayAfter(attempt);
            LOG.log(
                    WARNING,
                    "{0}: attempt {1} at {2} id {3} failed ({4}); retrying in {5} ms",
                    about(event),
                    attempt,
                    event.getType(),
                    event.getId(),
                    failure,
                    wait.toMillis());
            TimeUnit.MILLISECONDS.sleep(wait.toMillis());
        }
    }

    private static String about(CloudEvent event) {
        Object dumpId = event.getExtension(EventTypes.DUMPID_EXTENSION);
        return dumpId != null ? "dump " + dumpId : "event about " + event.getSubject();
    }
}
