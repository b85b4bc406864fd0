package dev.dumpflow.functions.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.HeapSummary.ArrayStat;
import dev.dumpflow.events.HeapSummary.ClassStat;
import dev.dumpflow.events.HeapSummary.HeapLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeapSummaryTextTest {

    private static final HeapLayout LAYOUT = new HeapLayout(8, 4, 12, 16, 8, true);

    private static HeapSummary summary(List<ClassStat> classes, boolean truncated) {
        return new HeapSummary(
                truncated,
                truncated ? "the dump ends at byte 1234, inside a record" : null,
                1_234_567,
                512L * 1024 * 1024,
                classes.size(),
                classes,
                List.of(new ArrayStat("byte[]", 3_000_001, 3_000_024)),
                Map.of("java-frame", 34L, "jni-global", 36L),
                LAYOUT);
    }

    @Test
    void tableListsTopClassesArraysAndRoots() {
        String table =
                HeapSummaryText.table(
                        summary(
                                List.of(
                                        new ClassStat("byte[]", 11_222, 520_728),
                                        new ClassStat("java.lang.String", 10_742, 257_808)),
                                false));
        assertThat(table)
                .contains("Heap: 512.0 MiB in 1,234,567 objects of 2 classes")
                .contains("4-byte references, 12/16-byte headers, 8-byte alignment, inferred")
                .contains(" 508.5 KiB        11,222  byte[]")
                .contains(" 251.8 KiB        10,742  java.lang.String")
                .contains("2.9 MiB  byte[] of length 3,000,001")
                .contains("GC roots: java-frame 34, jni-global 36")
                .doesNotContain("Partial");
    }

    @Test
    void aTruncatedSummarySaysItsFiguresArePartialAndWhy() {
        assertThat(HeapSummaryText.table(summary(List.of(), true)))
                .contains("Partial figures: the dump ends at byte 1234, inside a record");
        assertThat(HeapSummaryText.lines(summary(List.of(), true)).get(1))
                .startsWith("Partial figures");
    }

    @Test
    void longClassNamesAreShortenedKeepingTheirEnd() {
        String name = "com.example.generated.Class" + "X".repeat(150) + "Tail";
        List<String> lines =
                HeapSummaryText.lines(summary(List.of(new ClassStat(name, 1, 16)), false));
        assertThat(lines)
                .anySatisfy(line -> assertThat(line).endsWith("XXTail").contains("…"))
                .allSatisfy(line -> assertThat(line.length()).isLessThan(160));
    }
}
