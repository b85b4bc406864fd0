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
import org.jboss.logging.Logger;

/**
 * Sends a message through every configured channel, once per channel and event ({@code source} +
 * {@code id}) across every replica of the functions: Knative delivers at least once, a failed
 * channel makes the Broker deliver again, and copies may reach two replicas at the same time. Each
 * channel's send is guarded by a marker in the bucket ({@link OnceMarkers}), so a retry goes only
 * to the channels that failed.
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
        List<String> failed = new ArrayList<>();
        String event = sha256(eventKey);
        for (Channel channel : channels) {
            if (!channel.enabled()) {
                continue;
            }
            try {
                count(channel, sendOnce(channel, event, notification) ? "sent" : "duplicate");
            } catch (Channel.Refused e) {
                count(channel, "refused");
                LOG.errorf("%s: %s", notification.context(), e.getMessage());
            } catch (RuntimeException e) {
                count(channel, "failed");
                if (!(e instanceof FunctionFailure f) || !f.kind().retryable()) {
                    throw e;
                }
                LOG.warnf(
                        "%s: %s failed: %s",
                        notification.context(), channel.name(), e.getMessage());
                failed.add(channel.name());
            }
        }
        if (!failed.isEmpty()) {
            throw FunctionFailure.unavailable(
                    notification.context() + ": could not notify through " + failed, null);
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
