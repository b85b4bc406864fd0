package dev.dumpflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.HeapSummary.ClassStat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Records real JVMs rarely write, and the parse's memory, on dumps written by the test. */
class SyntheticHprofTest {

    private static final long POINT = 0x7000_0000L;

    /**
     * A dump of one class {@code Point} (two ints) with {@code count} instances, 16 bytes apart.
     */
    private static byte[] points(int count) {
        SyntheticHprof dump =
                new SyntheticHprof(8)
                        .utf8(1, "com/example/Point")
                        .loadClass(POINT, 1)
                        .beginHeap()
                        .classDump(POINT, 0, (byte) HprofType.INT, (byte) HprofType.INT);
        for (int i = 0; i < count; i++) {
            dump.instance(0x1_0000_0000L + 16L * i, POINT, 8);
        }
        return dump.endHeap(0x1c).heapDumpEnd().toByteArray();
    }

    private static HeapSummary analyze(byte[] dump) throws IOException {
        return new HprofAnalyzer(AnalysisSettings.defaults())
                .analyze(new ByteArrayInputStream(dump), DumpFormat.HPROF)
                .orElseThrow()
                .summary();
    }

    @Test
    void allocatesNoMoreForTenTimesTheObjects() throws Exception {
        byte[] small = points(20_000);
        byte[] large = points(200_000);
        analyze(large); // warm up, so that both measured runs are compiled alike
        long smallBytes = allocatedWhile(small);
        long largeBytes = allocatedWhile(large);
        assertThat(largeBytes - smallBytes).isLessThan(256 * 1024);
    }

    private static long allocatedWhile(byte[] dump) throws IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        HeapSummary summary = analyze(dump);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(summary.truncated()).isFalse();
        return allocated;
    }

    @Test
    void sizesInstancesFromTheirFieldsUnderTheInferredLayout() throws Exception {
        HeapSummary summary = analyze(points(1_000));
        // 12-byte header + two ints = 20, aligned to 8 = 24; but the addresses are 16 apart,
        // which proves the size is at most 16: the evidence wins.
        assertThat(summary.topClasses())
                .containsExactly(new ClassStat("com.example.Point", 1_000, 16_000));
    }

    @Test
    void countsObjectsAcrossSeveralHeapDumpsAndSegments() throws Exception {
        byte[] dump =
                new SyntheticHprof(8)
                        .utf8(1, "com/example/Point")
                        .loadClass(POINT, 1)
                        .beginHeap()
                        .classDump(POINT, 0, (byte) HprofType.LONG)
                        .instance(0x1000, POINT, 8)
                        .endHeap(0x0c)
                        .beginHeap()
                        .instance(0x2000, POINT, 8)
                        .endHeap(0x1c)
                        .beginHeap()
                        .instance(0x3000, POINT, 8)
                        .primitiveArray(0x4000, HprofType.BYTE, 10, true)
                        .endHeap(0x1c)
                        .heapDumpEnd()
                        .toByteArray();
        HeapSummary summary = analyze(dump);
        assertThat(summary.truncated()).isFalse();
        assertThat(summary.topClasses())
                .extracting(ClassStat::className, ClassStat::instances)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("com.example.Point", 3L),
                        org.assertj.core.groups.Tuple.tuple("byte[]", 1L));
    }

    @Test
    void readsAndroidRootsHeapInfoAndArraysWithoutData() throws Exception {
        byte[] dump =
                new SyntheticHprof(4)
                        .utf8(1, "app")
                        .beginHeap()
                        .heapDumpInfo(0x41, 1)
                        .simpleRoot(0x89, 0x1000)
                        .simpleRoot(0x8d, 0x1008)
                        .primitiveArray(0x2000, HprofType.CHAR, 100, false)
                        .primitiveArray(0x3000, HprofType.INT, 3, true)
                        .endHeap(0x1c)
                        .heapDumpEnd()
                        .toByteArray();
        HeapSummary summary = analyze(dump);
        assertThat(summary.truncated()).isFalse();
        assertThat(summary.layout().idSize()).isEqualTo(4);
        assertThat(summary.gcRoots())
                .containsEntry("interned-string", 1L)
                .containsEntry("vm-internal", 1L);
        assertThat(summary.topClasses())
                .extracting(ClassStat::className)
                .containsExactlyInAnyOrder("char[]", "int[]");
    }

    @Test
    void aDumpThatStopsBetweenSegmentsIsFlaggedTruncated() throws Exception {
        byte[] whole = points(10);
        byte[] withoutEnd = java.util.Arrays.copyOf(whole, whole.length - 9);
        HeapSummary summary = analyze(withoutEnd);
        assertThat(summary.truncated()).isTrue();
        assertThat(summary.truncationReason()).contains("HEAP_DUMP_END");
        assertThat(summary.totalObjects()).isEqualTo(10);
    }
}
