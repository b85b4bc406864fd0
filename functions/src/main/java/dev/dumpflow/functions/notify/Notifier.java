package dev.dumpflow.functions.notify;

import dev.dumpflow.functions.FunctionFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Sends a message through every configured channel. Knative delivers at least once, and a failed
 * channel makes the Broker deliver again; so each channel remembers, per event ({@code source} +
 * {@code id}), that it already delivered, and a retry goes only to the channels that failed. The
 * memory is per process and bounded.
 */
@ApplicationScoped
public class Notifier {

    private static final Logger LOG = Logger.getLogger(Notifier.class);
    private static final int REMEMBERED = 10_000;

    private final List<Channel> channels;
    private final Set<String> delivered =
            Collections.newSetFromMap(
                    Collections.synchronizedMap(
                            new LinkedHashMap<>() {
                                @Override
                                protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
                                    return size() > REMEMBERED;
                                }
                            }));

    Notifier(Instance<Channel> channels) {
        this.channels = channels.stream().toList();
    }

    /**
     * Delivers {@code notification} for the event {@code eventKey} ({@code source} and {@code id}).
     *
     * @throws FunctionFailure unavailable when a channel is down for now; the others are not sent
     *     twice on the retry
     */
    public void deliver(String eventKey, Notification notification) {
        List<String> failed = new ArrayList<>();
        for (Channel channel : channels) {
            if (!channel.enabled()) {
                continue;
            }
            String key = channel.name() + " " + eventKey;
            // Claimed before sending, so that concurrent deliveries of one event send once.
            if (!delivered.add(key)) {
                LOG.infof(
                        "%s: %s already sent this event, not sending it twice",
                        notification.context(), channel.name());
                continue;
            }
            try {
                channel.send(notification);
            } catch (RuntimeException e) {
                delivered.remove(key);
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
}
