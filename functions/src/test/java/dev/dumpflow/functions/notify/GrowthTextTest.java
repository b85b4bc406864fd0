package dev.dumpflow.functions.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.Growth;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.Samples;
import dev.dumpflow.events.StorageLayout;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrowthTextTest {

    @Test
    void theSummaryNamesTheIntervalAndLeadsWithTheLeakSuspects() {
        assertThat(GrowthText.summary(Samples.growth()))
                .isEqualTo(
                        "since the previous dump 2 h ago: byte[] +1.2 GiB (+310,000),"
                                + " java.util.HashMap$Node +94.6 MiB (+3,100,000), long[] +4.0 KiB"
                                + " (-2)");

        Growth suspectSmaller =
                new Growth(
                        "d-0",
                        Samples.CLOSED_AT.minusSeconds(90),
                        Duration.ofSeconds(90),
                        List.of(
                                new Growth.ClassGrowth("byte[]", 1, 1_000_000, false),
                                new Growth.ClassGrowth("leak.Entry", 10, 240, true)));
        assertThat(GrowthText.summary(suspectSmaller))
                .startsWith("since the previous dump 1 min 30 s ago: leak.Entry +240 B (+10),");
    }

    @Test
    void theSectionListsSuspectsThenEveryClassWithItsDeltas() {
        List<String> lines = GrowthText.lines(Samples.growth());

        assertThat(lines.getFirst())
                .isEqualTo(
                        "Since the previous dump 2 h ago (20261122T014912Z-1b2c3d4e, closed"
                                + " 2026-11-22T01:49:12Z)");
        assertThat(lines.get(1))
                .isEqualTo("Leak suspects, grown at every step of the last three dumps: byte[]");
        assertThat(lines)
                .contains(
                        "   +1.2 GiB       +310,000  byte[]  (leak suspect)",
                        "  +94.6 MiB     +3,100,000  java.util.HashMap$Node",
                        "   +4.0 KiB             -2  long[]");
    }

    @Test
    void nothingGrownIsSaidSo() {
        Growth none =
                new Growth(
                        "d-0",
                        Samples.CLOSED_AT.minusSeconds(86_400 * 3 + 7_200),
                        Duration.ofHours(74),
                        List.of());
        assertThat(GrowthText.summary(none))
                .isEqualTo("since the previous dump 3 d 2 h ago: no class grew");
        assertThat(GrowthText.lines(none)).endsWith("No class grew.");
    }

    @Test
    void theMessageOfADumpWithGrowthCarriesItAsAFactAndAsTheFirstSection() {
        IndexRecord record = Samples.indexRecord().withGrowth(Samples.growth());
        Notification n =
                IndexedMessage.of(record, StorageLayout.indexKey(record), null, null, List.of());

        assertThat(n.facts())
                .contains(new Notification.Fact("Growth", GrowthText.summary(Samples.growth())));
        assertThat(n.sections().getFirst().title()).isEqualTo("What grew since the previous dump");
        assertThat(ConsoleChannel.text(n)).contains("    Leak suspects, grown at every step");

        Notification without =
                IndexedMessage.of(
                        Samples.indexRecord(),
                        StorageLayout.indexKey(Samples.indexRecord()),
                        null,
                        null,
                        List.of());
        assertThat(without.facts()).extracting(Notification.Fact::label).doesNotContain("Growth");
        assertThat(without.sections())
                .extracting(Notification.Section::title)
                .doesNotContain("What grew since the previous dump");
    }
}
