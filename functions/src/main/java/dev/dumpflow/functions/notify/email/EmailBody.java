package dev.dumpflow.functions.notify.email;

import dev.dumpflow.functions.notify.Notification;
import java.util.stream.Collectors;

/**
 * A {@link Notification} as an e-mail's HTML and plain-text parts. Every value comes from events
 * and the Kubernetes API, so every one is HTML-escaped.
 */
final class EmailBody {

    private EmailBody() {}

    static String html(Notification n) {
        StringBuilder html =
                new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">")
                        .append("<h2>")
                        .append(escape(n.title()))
                        .append("</h2><table cellpadding=\"3\">");
        for (Notification.Fact f : n.facts()) {
            html.append("<tr><th align=\"left\" valign=\"top\">")
                    .append(escape(f.label()))
                    .append("</th><td>")
                    .append(escape(f.value()))
                    .append("</td></tr>");
        }
        html.append("</table>");
        if (n.link() != null) {
            html.append("<p><a href=\"")
                    .append(escape(n.link().url().toString()))
                    .append("\">Download the dump</a> (")
                    .append(escape(n.link().validity()))
                    .append(")</p>");
        }
        for (Notification.Section s : n.sections()) {
            html.append("<h3>")
                    .append(escape(s.title()))
                    .append("</h3><pre>")
                    .append(
                            s.lines().stream()
                                    .map(EmailBody::escape)
                                    .collect(Collectors.joining("\n")))
                    .append("</pre>");
        }
        return html.append("</body></html>").toString();
    }

    static String text(Notification n) {
        StringBuilder text = new StringBuilder(n.title()).append("\n\n");
        for (Notification.Fact f : n.facts()) {
            text.append(f.label()).append(": ").append(f.value()).append('\n');
        }
        if (n.link() != null) {
            text.append("\nDownload the dump (")
                    .append(n.link().validity())
                    .append("):\n")
                    .append(n.link().url())
                    .append('\n');
        }
        for (Notification.Section s : n.sections()) {
            text.append('\n').append(s.title()).append(":\n");
            s.lines().forEach(line -> text.append(line).append('\n'));
        }
        return text.toString();
    }

    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
