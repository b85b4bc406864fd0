package dev.dumpflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.HeapSummary;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cut, corrupt and failing inputs: partial summaries, never an exception for content. */
class DamagedDumpTest {

    private static byte[] plain;
    private static byte[] gzipped;
    private static HeapSummary whole;

    @BeforeAll
    static void readTheProfiledDumps() throws Exception {
        ProfiledJvmDumps.Snapshot snapshot = ProfiledJvmDumps.defaultJvm();
        plain = Files.readAllBytes(snapshot.plain());
        gzipped = Files.readAllBytes(snapshot.gzipped());
        whole = analyze(plain).orElseThrow();
    }

    @Test
    void aDumpCutAtARandomOffsetGivesAPartialSummaryFlaggedTruncated() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 5; i++) {
            int cut = 64 + random.nextInt(plain.length - 64);
            HeapSummary partial = analyze(Arrays.copyOf(plain, cut)).orElseThrow();
            assertThat(partial.truncated()).as("seed %d, cut at %d", seed, cut).isTrue();
            assertThat(partial.truncationReason()).as("seed %d, cut at %d", seed, cut).isNotBlank();
            assertThat(partial.totalObjects()).isLessThanOrEqualTo(whole.totalObjects());
        }
    }

    @Test
    void aDumpCutInItsHeapKeepsWhatWasCountedBeforeTheCut() throws Exception {
        HeapSummary partial = analyze(Arrays.copyOf(plain, plain.length - 1_000)).orElseThrow();
        assertThat(partial.truncated()).isTrue();
        assertThat(partial.truncationReason()).contains("ends at byte");
        assertThat(partial.totalObjects()).isPositive().isLessThan(whole.totalObjects());
    }

    @Test
    void aGzippedDumpCutShortGivesAPartialSummaryFlaggedTruncated() throws Exception {
        HeapSummary partial = analyze(Arrays.copyOf(gzipped, gzipped.length * 2 / 3)).orElseThrow();
        assertThat(partial.truncated()).isTrue();
        assertThat(partial.truncationReason()).contains("gzip");
    }

    @Test
    void anUnknownSubRecordEndsTheParseAsCorrupt() throws Exception {
        byte[] corrupt = plain.clone();
        corrupt[firstHeapRecordBody(corrupt)] = 0x42;
        HeapSummary partial = analyze(corrupt).orElseThrow();
        assertThat(partial.truncated()).isTrue();
        assertThat(partial.truncationReason()).contains("unknown heap dump sub-record 0x42");
    }

    @Test
    void readsTheWholeStreamEvenWhenTheDumpIsCorrupt() throws Exception {
        byte[] corrupt = plain.clone();
        corrupt[firstHeapRecordBody(corrupt)] = 0x42;
        ByteArrayInputStream source = new ByteArrayInputStream(corrupt);
        new HprofAnalyzer(AnalysisSettings.defaults()).analyze(source, DumpFormat.HPROF);
        assertThat(source.available()).isZero();
    }

    @Test
    void neverThrowsForRandomlyCorruptedBytes() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 40; i++) {
            byte[] corrupt = plain.clone();
            // Past the header, and mostly where strings, classes and record lengths live.
            int span = Math.min(corrupt.length, 400_000) - 32;
            for (int flips = 0; flips < 1 + random.nextInt(8); flips++) {
                corrupt[32 + random.nextInt(span)] = (byte) random.nextInt(256);
            }
            assertThat(analyze(corrupt)).as("seed %d, round %d", seed, i).isPresent();
        }
    }

    @Test
    void somethingThatIsNotHprofGivesNoSummary() throws Exception {
        assertThat(analyze("PK\u0003\u0004 a zip file, not a dump".getBytes())).isEmpty();
        assertThat(analyze(new byte[0])).isEmpty();
    }

    @Test
    void aFailingSourcePropagatesItsIOException() {
        IOException broken = new IOException("connection reset");
        InputStream failing =
                new FilterInputStream(new ByteArrayInputStream(plain)) {
                    private int reads;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (++reads > 3) {
                            throw broken;
                        }
                        return super.read(b, off, Math.min(len, 4096));
                    }
                };
        assertThatThrownBy(
                        () ->
                                new HprofAnalyzer(AnalysisSettings.defaults())
                                        .analyze(failing, DumpFormat.HPROF))
                .isSameAs(broken);
    }

    private static Optional<HeapSummary> analyze(byte[] dump) throws IOException {
        return new HprofAnalyzer(AnalysisSettings.defaults())
                .analyze(new ByteArrayInputStream(dump), DumpFormat.HPROF)
                .map(HeapAnalysis::summary);
    }

    /** The offset of the first sub-record of the first heap dump record, walking the records. */
    private static int firstHeapRecordBody(byte[] dump) {
        ByteBuffer buffer = ByteBuffer.wrap(dump);
        int at = 0;
        while (dump[at] != 0) {
            at++;
        }
        at += 1 + 4 + 8; // the header's NUL, id size and time stamp
        while (true) {
            int tag = dump[at] & 0xff;
            long length = Integer.toUnsignedLong(buffer.getInt(at + 5));
            if (tag == 0x0c || tag == 0x1c) {
                return at + 9;
            }
            at += 9 + (int) length;
        }
    }
}
