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

    @Test
    void valuesWithLineBreaksAndEscapesNeverAddALineToTheConsole() {
        Notification hostile =
                new Notification(
                        "dumpId=d-2",
                        Notification.Severity.ALERT,
                        "Dump NOT saved\r\n2026-12-07 INFO all is well",
                        List.of(new Notification.Fact("Why", "S3 said:\nX-Injected: 1\u001b[2J")),
                        List.of(
                                new Notification.Section(
                                        "What filled the heap",
                                        List.of(
                                                "  30.1 MiB  com.evil.\r\n\u001b[31mRed",
                                                "   1.2 MiB  java.lang.String"))),
                        null,
                        List.of());

        List<String> lines = written(hostile).lines().toList();

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0))
                .startsWith("dumpId=d-2 [ALERT] Dump NOT saved\\r\\n2026-12-07 INFO all is well")
                .contains("Why=S3 said:\\nX-Injected: 1\\u001b[2J");
        assertThat(lines.get(2)).isEqualTo("      30.1 MiB  com.evil.\\r\\n\\u001b[31mRed");
        assertThat(String.join("", lines).chars()).noneMatch(Character::isISOControl);
    }

    /** What the channel writes to its log, as the log's handlers receive it. */
    private static String written(Notification n) {
        List<String> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture =
                new java.util.logging.Handler() {
                    @Override
                    public void publish(java.util.logging.LogRecord record) {
                        records.add(new java.util.logging.SimpleFormatter().formatMessage(record));
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("dumpflow.notify");
        log.addHandler(capture);
        try {
            new ConsoleChannel().send(n);
        } finally {
            log.removeHandler(capture);
        }
        assertThat(records).hasSize(1);
        return records.getFirst();
    }
}
