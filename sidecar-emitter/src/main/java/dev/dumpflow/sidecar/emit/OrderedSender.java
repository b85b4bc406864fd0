package dev.dumpflow.sidecar.emit;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import dev.dumpflow.events.EventTypes;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@link EventSink} that delivers events to {@code K_SINK} one at a time, in the order they
 * were emitted, on its own thread, so that no feature ever waits for the network. A retryable
 * failure is retried with capped exponential backoff and the same {@code id}, until it is delivered
 * or the sidecar stops; any other refusal is logged and dropped, because sending the same event
 * again cannot succeed.
 *
 * <p>The queue is in memory; a durable outbox can take its place behind the same interface.
 */
public final class OrderedSender implements EventSink, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OrderedSender.class.getName());

    private final EventComposer composer;
    private final HttpEventPoster poster;
    private final RetryPolicy retry;
    private final BlockingQueue<CloudEvent> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean delivering;

    /** Starts the delivery thread. */
    public OrderedSender(EventComposer composer, HttpEventPoster poster, RetryPolicy retry) {
        this.composer = composer;
        this.poster = poster;
        this.retry = retry;
        this.worker = Thread.ofPlatform().name("dumpflow-emit").daemon().start(this::deliverAll);
    }

    @Override
    public void emit(String type, String subject, String dumpId, Object data) {
        CloudEvent event = composer.compose(type, subject, dumpId, data);
        LOG.log(INFO, "{0}: queued {1} id {2}", about(event), type, event.getId());
        queue.add(event);
    }

    /** How many events wait for delivery. */
    public int pending() {
        return queue.size() + (delivering ? 1 : 0);
    }

    /**
     * Stops after what is queued is delivered, waiting at most the grace period; what is still
     * undelivered then is logged.
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
        queue.forEach(
                e ->
                        LOG.log(
                                WARNING,
                                "{0}: not delivered before stop, id {1}",
                                about(e),
                                e.getId()));
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private void deliverAll() {
        try {
            while (true) {
                CloudEvent event = queue.take();
                delivering = true;
                try {
                    deliver(event);
                } finally {
                    delivering = false;
                }
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(CloudEvent event) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            String failure;
            try {
                int status = poster.post(event);
                if (status >= 200 && status < 300) {
                    LOG.log(
                            INFO,
                            "{0}: delivered {1} id {2} ({3,number,#}, attempt {4})",
                            about(event),
                            event.getType(),
                            event.getId(),
                            status,
                            attempt);
                    return;
                }
                if (!RetryPolicy.retryable(status)) {
                    LOG.log(
                            ERROR,
                            "{0}: sink refused {1} id {2} with {3,number,#}; dropped, as"
                                    + " sending it again cannot succeed",
                            about(event),
                            event.getType(),
                            event.getId(),
                            status);
                    return;
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
