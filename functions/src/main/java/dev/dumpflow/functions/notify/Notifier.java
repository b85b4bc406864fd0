package dev.dumpflow.functions.notify;

import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.once.OnceMarkers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * Sends a message through every configured channel, once per channel and event ({@code source} +
 * {@code id}) across every replica of the functions: Knative delivers at least once, a failed
 * channel makes the Broker deliver again, and copies may reach two replicas at the same time. Each
 * channel's send is guarded by a marker in the bucket ({@link OnceMarkers}), so a retry goes only
 * to the channels that failed.
 *
 * <p>The channels send side by side, so that one that stalls delays none of the others.
 *
 * <p>When S3 itself does not answer, the message is sent anyway and may then be sent twice: a
 * person told twice beats a dump failure nobody hears of, the more so as S3 down is a likely reason
 * for one.
 */
@ApplicationScoped
public class Notifier {

    private static final Logger LOG = Logger.getLogger(Notifier.class);

    private final List<Channel> channels;
    private final OnceMarkers markers;
    private final MeterRegistry registry;

    @Inject
    Notifier(Instance<Channel> channels, OnceMarkers markers, MeterRegistry registry) {
        this(channels.stream().toList(), markers, registry);
    }

    /** For replicas made by hand in tests. */
    public Notifier(List<Channel> channels, OnceMarkers markers, MeterRegistry registry) {
        this.channels = List.copyOf(channels);
        this.markers = markers;
        this.registry = registry;
    }

    /**
     * Delivers {@code notification} for the event {@code eventKey} ({@code source} and {@code id}).
     *
     * @throws FunctionFailure unavailable when a channel is down for now; the others are not sent
     *     twice on the retry
     */
    public void deliver(String eventKey, Notification notification) {
        String event = sha256(eventKey);
        List<Channel> enabled = channels.stream().filter(Channel::enabled).toList();
        // Each channel on a thread of its own: a stalled SMTP server must not hold the Slack post
        // back, nor the other way round. Closing the executor waits for every send.
        List<Future<Boolean>> sends;
        try (ExecutorService each =
                Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("notify-", 1).factory())) {
            sends =
                    enabled.stream()
                            .map(c -> each.submit(() -> deliverTo(c, event, notification)))
                            .toList();
        }
        List<String> failed = new ArrayList<>();
        RuntimeException fatal = null;
        for (int i = 0; i < sends.size(); i++) {
            try {
                if (!sends.get(i).get()) {
                    failed.add(enabled.get(i).name());
                }
            } catch (ExecutionException e) {
                if (fatal == null) {
                    fatal =
                            e.getCause() instanceof RuntimeException r
                                    ? r
                                    : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw FunctionFailure.unavailable(
                        notification.context() + ": interrupted while notifying", e);
            }
        }
        if (fatal != null) {
            throw fatal;
        }
        if (!failed.isEmpty()) {
            throw FunctionFailure.unavailable(
                    notification.context() + ": could not notify through " + failed, null);
        }
    }

    /**
     * Sends through one channel, counted.
     *
     * @return false when the channel is down for now (the event is to be delivered again)
     * @throws RuntimeException what the channel threw that a retry cannot help
     */
    private boolean deliverTo(Channel channel, String event, Notification notification) {
        try {
            count(channel, sendOnce(channel, event, notification) ? "sent" : "duplicate");
            return true;
        } catch (Channel.Refused e) {
            count(channel, "refused");
            LOG.errorf("%s: %s", notification.context(), e.getMessage());
            return true;
        } catch (RuntimeException e) {
            count(channel, "failed");
            if (!(e instanceof FunctionFailure f) || !f.kind().retryable()) {
                throw e;
            }
            LOG.warnf("%s: %s failed: %s", notification.context(), channel.name(), e.getMessage());
            return false;
        }
    }

    private void count(Channel channel, String outcome) {
        Counter.builder("dumpflow.notifications")
                .description("Messages by channel and outcome (sent, duplicate, refused, failed).")
                .tag("channel", channel.name())
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** Whether this call sent it; false when another copy of the event already did. */
    private boolean sendOnce(Channel channel, String event, Notification notification) {
        String prefix = StorageLayout.markerPrefix("notify-" + channel.name(), event);
        OnceMarkers.Done done;
        try {
            done =
                    markers.once(
                            prefix,
                            notification.context(),
                            () -> {
                                channel.send(notification);
                                return channel.name();
                            });
        } catch (OnceMarkers.StoreUnavailable e) {
            LOG.warnf(
                    "%s: %s; sending through %s without the once-only marker",
                    notification.context(), e.getMessage(), channel.name());
            channel.send(notification);
            return true;
        }
        if (!done.ranHere()) {
            LOG.infof(
                    "%s: %s already sent this event, not sending it twice",
                    notification.context(), channel.name());
        }
        return done.ranHere();
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
