package dev.dumpflow.functions.notify.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.functions.notify.Notification;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmailBodyTest {

    private final Notification hostile =
            new Notification(
                    "dumpId=x",
                    Notification.Severity.WARNING,
                    "Memory of <b>shop</b> crossed",
                    List.of(
                            new Notification.Fact(
                                    "Command", "java \"-Dx=<script>alert(1)</script>\" & more")),
                    List.of(
                            new Notification.Section(
                                    "What filled the heap", List.of("Map<String, List<byte[]>>"))),
                    new Notification.Link(
                            URI.create("http://127.0.0.1/b/k?X-Amz-Signature=ab&X-Amz-Expires=60"),
                            Instant.EPOCH),
                    List.of());

    @Test
    void escapesEveryValueInTheHtmlPart() {
        String html = EmailBody.html(hostile);

        assertThat(html)
                .doesNotContain("<script>", "<b>shop", "List<byte")
                .contains(
                        "&lt;b&gt;shop&lt;/b&gt;",
                        "java &quot;-Dx=&lt;script&gt;alert(1)&lt;/script&gt;&quot; &amp; more",
                        "Map&lt;String, List&lt;byte[]&gt;&gt;",
                        "href=\"http://127.0.0.1/b/k?X-Amz-Signature=ab&amp;X-Amz-Expires=60\"");
    }

    @Test
    void theTextPartCarriesTheSameFactsUnescaped() {
        assertThat(EmailBody.text(hostile))
                .contains(
                        "Memory of <b>shop</b> crossed",
                        "Command: java \"-Dx=<script>alert(1)</script>\" & more",
                        "Map<String, List<byte[]>>",
                        "http://127.0.0.1/b/k?X-Amz-Signature=ab&X-Amz-Expires=60");
    }
}
