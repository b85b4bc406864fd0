package dev.dumpflow.functions.notify;

import dev.dumpflow.functions.OneLine;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message to people, independent of the channel that carries it: a title, facts as label and
 * value, preformatted sections, and an optional download link.
 *
 * <p>Its texts come from events, the Kubernetes API and heap dumps, so every one is made a single
 * line here ({@link OneLine}), once for every channel: a line break or a terminal escape in a class
 * name or a failure reason cannot add a line to the console, a block to Slack or a header to a
 * mail. The channels add the lines and escaping of their own format.
 *
 * @param context what the message is about, for logs: a dumpId or a pod; never a secret
 * @param severity how urgent it is
 * @param title one line
 * @param facts label and value pairs, in order
 * @param sections preformatted blocks, such as the heap histogram
 * @param link a download link, or null; it is a bearer credential, so never logged
 * @param teamRecipients e-mail addresses of the owning team, from its annotation
 */
public record Notification(
        String context,
        Severity severity,
        String title,
        List<Fact> facts,
        List<Section> sections,
        Link link,
        List<String> teamRecipients) {

    public Notification {
        context = OneLine.of(Objects.requireNonNull(context, "context"));
        Objects.requireNonNull(severity, "severity");
        title = OneLine.of(Objects.requireNonNull(title, "title"));
        facts = List.copyOf(facts);
        sections = List.copyOf(sections);
        teamRecipients = teamRecipients == null ? List.of() : List.copyOf(teamRecipients);
    }

    /** How urgent a message is. */
    public enum Severity {
        /** Something is worth knowing, such as a stored dump. */
        INFO,
        /** Something may go wrong soon, such as memory crossing a threshold. */
        WARNING,
        /** Something went wrong, such as a dump that was not saved. */
        ALERT
    }

    /** One labelled value, on one line; values of null are left out by the builders. */
    public record Fact(String label, String value) {
        public Fact {
            label = OneLine.of(label);
            value = OneLine.of(value);
        }
    }

    /** A titled block of preformatted lines, each of them one line. */
    public record Section(String title, List<String> lines) {
        public Section {
            title = OneLine.of(title);
            lines = lines.stream().map(OneLine::of).toList();
        }
    }

    /**
     * A download link and when it stops working; a link through the download gate has no end of its
     * own (the gate signs a short link for each reader it allows), so {@code expiresAt} is null.
     */
    public record Link(URI url, Instant expiresAt) {

        /** A link to the download gate, which asks the reader for a Kubernetes token. */
        public static Link throughGate(URI url) {
            return new Link(url, null);
        }

        /** How long the link works, in words for a message. */
        public String validity() {
            return expiresAt == null
                    ? "through the download gate, with your Kubernetes token"
                    : "the link works until " + expiresAt;
        }
    }
}
