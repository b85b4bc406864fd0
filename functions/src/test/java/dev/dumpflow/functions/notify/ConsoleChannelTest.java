package dev.dumpflow.functions.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleChannelTest {

    private static final Notification STORED =
            new Notification(
                    "dumpId=d-1",
                    Notification.Severity.INFO,
                    "Heap dump of shop/checkout stored (cause: oom, 38.4 MiB)",
                    List.of(new Notification.Fact("Pod", "shop/checkout-0")),
                    List.of(
                            new Notification.Section(
                                    "What filled the heap",
                                    List.of(
                                            "byte[]  12,000 instances  30.1 MiB",
                                            "java.lang.String  9,000 instances  1.2 MiB"))),
                    new Notification.Link(
                            URI.create("https://bucket.example/dump?X-Amz-Signature=secret"),
                            Instant.parse("2026-12-07T07:00:00Z")),
                    List.of());

    @Test
    void showsTheTopClassesOfTheHeapUnderTheSummaryLine() {
        String text = ConsoleChannel.text(STORED);

        assertThat(text.lines().toList())
                .containsExactly(
                        "dumpId=d-1 [INFO] Heap dump of shop/checkout stored (cause: oom, 38.4 MiB)"
                                + " | Pod=shop/checkout-0; download link expires"
                                + " 2026-12-07T07:00:00Z",
                        "  What filled the heap:",
                        "    byte[]  12,000 instances  30.1 MiB",
                        "    java.lang.String  9,000 instances  1.2 MiB");
    }

    @Test
    void neverPrintsTheDownloadLinkItself() {
        assertThat(ConsoleChannel.text(STORED)).doesNotContain("X-Amz-Signature", "bucket.example");
    }
}
