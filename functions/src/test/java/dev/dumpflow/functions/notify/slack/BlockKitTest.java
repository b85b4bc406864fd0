package dev.dumpflow.functions.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dumpflow.functions.notify.Notification;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BlockKitTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void staysWithinFiftyBlocksAndSaysWhatWasCut() {
        List<Notification.Section> sections = new ArrayList<>();
        for (int s = 0; s < 80; s++) {
            sections.add(
                    new Notification.Section(
                            "section " + s,
                            IntStream.range(0, 40)
                                    .mapToObj(i -> "line " + i + " " + "x".repeat(200))
                                    .toList()));
        }
        Notification huge = notification("t".repeat(400), sections);

        JsonNode blocks = BlockKit.render(huge, json).get("blocks");

        assertThat(blocks.size()).isEqualTo(BlockKit.MAX_BLOCKS);
        assertThat(blocks.get(0).get("text").get("text").asText())
                .hasSize(BlockKit.MAX_HEADER_TEXT)
                .endsWith("…");
        assertThat(blocks.get(BlockKit.MAX_BLOCKS - 1).get("type").asText()).isEqualTo("context");
        assertThat(blocks.get(BlockKit.MAX_BLOCKS - 1).toString()).contains("cut to fit Slack");
        for (JsonNode block : blocks) {
            if (block.get("type").asText().equals("section")) {
                assertThat(block.get("text").get("text").asText().length())
                        .isLessThanOrEqualTo(BlockKit.MAX_SECTION_TEXT);
            }
        }
    }

    @Test
    void cutsAnOverlongLineWithAnEllipsisAndKeepsCodeFencesClosed() {
        Notification n =
                notification(
                        "title",
                        List.of(
                                new Notification.Section(
                                        "What filled the heap", List.of("a".repeat(10_000)))));

        ObjectNode message = BlockKit.render(n, json);

        String code =
                message.get("blocks")
                        .get(message.get("blocks").size() - 1)
                        .get("text")
                        .get("text")
                        .asText();
        assertThat(code).startsWith("```\n").endsWith("…\n```");
        assertThat(code.length()).isLessThanOrEqualTo(BlockKit.MAX_SECTION_TEXT);
    }

    @Test
    void escapesSlackMarkupInEventData() {
        Notification n =
                new Notification(
                        "dumpId=x",
                        Notification.Severity.INFO,
                        "title",
                        List.of(new Notification.Fact("Command", "java <script> & <!channel>")),
                        List.of(),
                        null,
                        List.of());

        String text =
                BlockKit.render(n, json).get("blocks").get(1).get("text").get("text").asText();

        assertThat(text)
                .contains("java &lt;script&gt; &amp; &lt;!channel&gt;")
                .doesNotContain("<!channel>");
    }

    @Test
    void neverCutsInsideASurrogatePair() {
        String emoji = "😀".repeat(100);

        String cut = BlockKit.cut(emoji, 51);

        assertThat(cut).endsWith("…");
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
    }

    private static Notification notification(String title, List<Notification.Section> sections) {
        return new Notification(
                "dumpId=x",
                Notification.Severity.INFO,
                title,
                List.of(new Notification.Fact("Pod", "shop/checkout")),
                sections,
                new Notification.Link(URI.create("http://127.0.0.1/x?a=1&b=2"), Instant.EPOCH),
                List.of());
    }
}
