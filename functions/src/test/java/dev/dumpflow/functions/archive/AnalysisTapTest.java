package dev.dumpflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.analysis.ClassHistogram;
import dev.dumpflow.analysis.DumpAnalyzer;
import dev.dumpflow.analysis.HeapAnalysis;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AnalysisTapTest {

    private static final ClassHistogram HISTOGRAM =
            ClassHistogram.of(Samples.heapSummary().topClasses());

    /** An analyzer of the test's own: hashes what it reads, then answers a fixed summary. */
    private static final class HashingAnalyzer implements DumpAnalyzer {
        final AtomicReference<String> seen = new AtomicReference<>();

        @Override
        public boolean supports(DumpFormat format) {
            return true;
        }

        @Override
        public Optional<HeapAnalysis> analyze(InputStream raw, DumpFormat format)
                throws IOException {
            seen.set(DumpContent.sha256(raw));
            return Optional.of(new HeapAnalysis(Samples.heapSummary(), HISTOGRAM));
        }
    }

    private static String feed(AnalysisTap tap, DumpContent content) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[200_000];
        try (InputStream in = content.open(0)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha.update(buffer, 0, n);
                tap.offer(buffer, 0, n);
            }
        }
        tap.end();
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void theAnalyzerReadsExactlyTheBytesTheArchiveRead() throws Exception {
        HashingAnalyzer analyzer = new HashingAnalyzer();
        AnalysisTap tap =
                AnalysisTap.start(analyzer, DumpFormat.HPROF, "d1", Duration.ofSeconds(10));

        String archived = feed(tap, DumpContent.generated(20_000_000, 3));

        assertThat(tap.result()).contains(new HeapAnalysis(Samples.heapSummary(), HISTOGRAM));
        assertThat(analyzer.seen.get()).isEqualTo(archived);
    }

    @Test
    void aFailingAnalyzerLeavesTheArchiveWithoutAnalysis() throws Exception {
        DumpAnalyzer failing =
                new DumpAnalyzer() {
                    @Override
                    public boolean supports(DumpFormat format) {
                        return true;
                    }

                    @Override
                    public Optional<HeapAnalysis> analyze(InputStream raw, DumpFormat format)
                            throws IOException {
                        raw.readNBytes(1000);
                        throw new IOException("corrupt");
                    }
                };
        AnalysisTap tap =
                AnalysisTap.start(failing, DumpFormat.HPROF, "d2", Duration.ofSeconds(10));

        feed(tap, DumpContent.generated(20_000_000, 3));

        assertThat(tap.result()).isEmpty();
    }

    @Test
    void aStuckAnalyzerIsDroppedAfterTheBoundWithoutBlockingTheArchive() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        DumpAnalyzer stuck =
                new DumpAnalyzer() {
                    @Override
                    public boolean supports(DumpFormat format) {
                        return true;
                    }

                    @Override
                    public Optional<HeapAnalysis> analyze(InputStream raw, DumpFormat format)
                            throws IOException {
                        raw.read();
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return Optional.empty();
                    }
                };
        AnalysisTap tap = AnalysisTap.start(stuck, DumpFormat.HPROF, "d3", Duration.ofMillis(300));
        long start = System.nanoTime();

        feed(tap, DumpContent.generated(50_000_000, 3));
        Optional<HeapAnalysis> result = tap.result();

        assertThat(result).isEmpty();
        // One wait for queue room, one for the result: far less than feeding a stuck consumer.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        never.countDown();
    }

    /** An analyzer of the test's own: reads a little, then ends as {@code ending} says. */
    private static DumpAnalyzer readingALittleThen(Ending ending) {
        return new DumpAnalyzer() {
            @Override
            public boolean supports(DumpFormat format) {
                return true;
            }

            @Override
            public Optional<HeapAnalysis> analyze(InputStream raw, DumpFormat format)
                    throws IOException {
                raw.readNBytes(1000);
                return ending.end();
            }
        };
    }

    private interface Ending {
        Optional<HeapAnalysis> end();
    }

    // A bound of ten minutes: a tap that waited on an analysis that reads no more would take that
    // long to drop it, and the timeout fails the test long before.

    @Test
    @Timeout(120)
    void anAnalysisThatRanOutOfMemoryLeavesTheArchiveWithoutAnalysisAndUnheld() throws Exception {
        AnalysisTap tap =
                AnalysisTap.start(
                        readingALittleThen(
                                () -> {
                                    throw new OutOfMemoryError("Java heap space");
                                }),
                        DumpFormat.HPROF,
                        "d4",
                        Duration.ofMinutes(10));

        feed(tap, DumpContent.generated(50_000_000, 3));

        assertThat(tap.result()).isEmpty();
    }

    @Test
    @Timeout(120)
    void anAnalysisThatFinishedEarlyKeepsItsSummaryAndIsFedNoMore() throws Exception {
        AnalysisTap tap =
                AnalysisTap.start(
                        readingALittleThen(
                                () ->
                                        Optional.of(
                                                new HeapAnalysis(
                                                        Samples.heapSummary(), HISTOGRAM))),
                        DumpFormat.HPROF,
                        "d5",
                        Duration.ofMinutes(10));

        feed(tap, DumpContent.generated(50_000_000, 3));

        assertThat(tap.result()).contains(new HeapAnalysis(Samples.heapSummary(), HISTOGRAM));
    }
}
