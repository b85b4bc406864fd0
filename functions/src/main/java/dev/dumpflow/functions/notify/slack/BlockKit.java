package dev.dumpflow.functions.notify.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dumpflow.functions.notify.Notification;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link Notification} as a Slack Block Kit message within Slack's limits: at most 50
 * blocks, 3,000 characters per section text, 150 per header. What does not fit is cut at a line
 * boundary where it can be, with an ellipsis, and a last block says so.
 */
final class BlockKit {

    static final int MAX_BLOCKS = 50;
    static final int MAX_SECTION_TEXT = 3000;
    static final int MAX_HEADER_TEXT = 150;

    /** Keeps a single fact or line from eating a whole section. */
    private static final int MAX_LINE = 1000;

    private static final String FENCE = "```";

    private BlockKit() {}

    static ObjectNode render(Notification n, ObjectMapper json) {
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(header(json, n.title()));
        List<String> factLines =
                n.facts().stream()
                        .map(
                                f ->
                                        cut(
                                                "*" + escape(f.label()) + ":* " + escape(f.value()),
                                                MAX_LINE))
                        .toList();
        for (String chunk : chunks(factLines, "", "")) {
            blocks.add(section(json, chunk));
        }
        if (n.link() != null) {
            String link =
                    "<%s|Download the dump> (%s)"
                            .formatted(escape(n.link().url().toString()), n.link().validity());
            blocks.add(
                    section(
                            json,
                            link.length() <= MAX_SECTION_TEXT
                                    ? link
                                    : "The download link is too long for Slack; see the e-mail."));
        }
        for (Notification.Section s : n.sections()) {
            blocks.add(section(json, cut("*" + escape(s.title()) + "*", MAX_SECTION_TEXT)));
            List<String> lines = s.lines().stream().map(l -> cut(escape(l), MAX_LINE)).toList();
            for (String chunk : chunks(lines, FENCE + "\n", "\n" + FENCE)) {
                blocks.add(section(json, chunk));
            }
        }
        if (blocks.size() > MAX_BLOCKS) {
            int dropped = blocks.size() - (MAX_BLOCKS - 1);
            blocks = new ArrayList<>(blocks.subList(0, MAX_BLOCKS - 1));
            blocks.add(
                    context(
                            json,
                            "… %d more block(s) cut to fit Slack; the e-mail and the index record"
                                    + " have everything.".formatted(dropped)));
        }
        ObjectNode message = json.createObjectNode();
        message.put("text", cut(escape(n.title()), MAX_SECTION_TEXT));
        ArrayNode array = message.putArray("blocks");
        blocks.forEach(array::add);
        return message;
    }

    /** Lines joined into texts of at most {@link #MAX_SECTION_TEXT}, each wrapped in pre/post. */
    static List<String> chunks(List<String> lines, String pre, String post) {
        int room = MAX_SECTION_TEXT - pre.length() - post.length();
        List<String> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : lines) {
            String line = cut(raw, room);
            if (!current.isEmpty() && current.length() + 1 + line.length() > room) {
                chunks.add(pre + current + post);
                current.setLength(0);
            }
            if (!current.isEmpty()) {
                current.append('\n');
            }
            current.append(line);
        }
        if (!current.isEmpty()) {
            chunks.add(pre + current + post);
        }
        return chunks;
    }

    /**
     * {@code text} cut to {@code max} characters with an ellipsis, never inside a surrogate pair.
     */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    /** The three characters Slack's mrkdwn reserves for its own markup. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static ObjectNode header(ObjectMapper json, String title) {
        ObjectNode block = json.createObjectNode().put("type", "header");
        block.putObject("text")
                .put("type", "plain_text")
                .put("text", cut(title, MAX_HEADER_TEXT))
                .put("emoji", true);
        return block;
    }

    private static ObjectNode section(ObjectMapper json, String mrkdwn) {
        ObjectNode block = json.createObjectNode().put("type", "section");
        block.putObject("text").put("type", "mrkdwn").put("text", mrkdwn);
        return block;
    }

    private static ObjectNode context(ObjectMapper json, String mrkdwn) {
        ObjectNode block = json.createObjectNode().put("type", "context");
        block.putArray("elements").addObject().put("type", "mrkdwn").put("text", mrkdwn);
        return block;
    }
}
