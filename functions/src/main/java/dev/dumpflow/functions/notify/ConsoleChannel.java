package dev.dumpflow.functions.notify;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Always on: one log record per message, which is how the local stack shows notifications. Its
 * first line holds the title and the facts; the sections follow, indented, so that a reader of the
 * console sees what filled the heap (the top classes) as Slack and e-mail readers do. The download
 * link is a bearer credential and logs are shared, so only its expiry is printed.
 *
 * <p>Every text of a {@link Notification} is one line already, so the only line breaks of the
 * record are the ones this channel adds, each followed by its indent: a class name or a reason from
 * an event cannot start a line that reads as a log record of its own.
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
        LOG.info(text(n));
    }

    /** The message as the console shows it. */
    static String text(Notification n) {
        String facts =
                n.facts().stream()
                        .map(f -> f.label() + "=" + f.value())
                        .collect(Collectors.joining("; "));
        StringBuilder text =
                new StringBuilder(
                        "%s [%s] %s | %s%s"
                                .formatted(
                                        n.context(),
                                        n.severity(),
                                        n.title(),
                                        facts,
                                        n.link() == null
                                                ? ""
                                                : n.link().expiresAt() == null
                                                        ? "; download through the gate"
                                                        : "; download link expires "
                                                                + n.link().expiresAt()));
        for (Notification.Section section : n.sections()) {
            text.append("\n  ").append(section.title()).append(':');
            section.lines().forEach(line -> text.append("\n    ").append(line));
        }
        return text.toString();
    }
}
