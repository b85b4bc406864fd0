package dev.dumpflow.functions.notify;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Always on: one compact log line per message, which is how the local stack shows notifications.
 * The download link is a bearer credential, so only its expiry is printed.
 */
@ApplicationScoped
public class ConsoleChannel implements Channel {

    private static final Logger LOG = Logger.getLogger("dumpflow.notify");

    @Override
    public String name() {
        return "console";
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void send(Notification n) {
        String facts =
                n.facts().stream()
                        .map(f -> f.label() + "=" + f.value())
                        .collect(Collectors.joining("; "));
        LOG.infof(
                "%s [%s] %s | %s%s",
                n.context(),
                n.severity(),
                n.title(),
                facts,
                n.link() == null ? "" : "; download link expires " + n.link().expiresAt());
    }
}
