package dev.dumpflow.analysis.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.analysis.AnalysisCap;
import dev.dumpflow.analysis.HprofBombs;
import dev.dumpflow.events.HeapSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dumpflow analyze --json} on gzipped HPROF bombs, in a JVM of 256 MiB as the functions run
 * with: each bomb is summarised (partially, past a cap) with exit status 0, and no {@code
 * OutOfMemoryError} is thrown. Each run prints the heap's peak as the GC log saw it, for {@code
 * docs/reliability.md}.
 */
class AnalysisUnderBombsTest {

    private static final String HEAP = "-Xmx256m";

    /** A GC log line's heap before and after a collection, {@code 45M->12M(256M)}. */
    private static final Pattern COLLECTED = Pattern.compile(" (\\d+)M->\\d+M\\(\\d+M\\)");

    /** The heap summary the JVM logs at exit (gc+exit): {@code used 54881K}. */
    private static final Pattern AT_EXIT = Pattern.compile("heap .* used (\\d+)K");

    private final ObjectMapper json = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void sixHundredStringsOfOneMiBAreKeptCutAndTheSummaryIsWhole() throws Exception {
        Path bomb = HprofBombs.hugeStrings(dir.resolve("strings.hprof.gz"), 600, 1 << 20);

        HeapSummary summary = analyzeAt256MiB("600 strings of 1 MiB", bomb);

        assertThat(summary.truncated()).as(summary.truncationReason()).isFalse();
        assertThat(summary.topClasses().getFirst().className()).endsWith("A\u2026").hasSize(4097);
    }

    @Test
    void threeMillionClassesStopAtTheClassesCap() throws Exception {
        // One shared name of 1 MiB, kept cut to 4 KiB: the summary names only the listed classes.
        Path bomb = HprofBombs.manyClasses(dir.resolve("classes.hprof.gz"), 3_000_000, 1 << 20, 1);

        HeapSummary summary = analyzeAt256MiB("3,000,000 classes", bomb);

        assertThat(summary.truncated()).isTrue();
        assertThat(AnalysisCap.named(summary.truncationReason())).contains(AnalysisCap.CLASSES);
        assertThat(summary.totalObjects()).isPositive();
    }

    @Test
    void millionsOfStringIdsStopAtTheIdsCap() throws Exception {
        Path bomb = HprofBombs.manyStrings(dir.resolve("ids.hprof.gz"), 2_000_000, 8);

        HeapSummary summary = analyzeAt256MiB("2,000,000 strings of 8 bytes", bomb);

        assertThat(summary.truncated()).isTrue();
        assertThat(AnalysisCap.named(summary.truncationReason())).contains(AnalysisCap.IDS);
    }

    @Test
    void stringsPastTheStringsCapStopThere() throws Exception {
        Path bomb = HprofBombs.manyStrings(dir.resolve("many.hprof.gz"), 20_000, 4096);

        HeapSummary summary = analyzeAt256MiB("20,000 strings of 4 KiB", bomb);

        assertThat(summary.truncated()).isTrue();
        assertThat(AnalysisCap.named(summary.truncationReason())).contains(AnalysisCap.STRINGS);
    }

    /**
     * Runs {@code dumpflow analyze --json} on the bomb in a JVM of 256 MiB and returns the summary
     * it printed, once its status is 0 and neither stream mentions an OutOfMemoryError.
     */
    private HeapSummary analyzeAt256MiB(String what, Path bomb) throws Exception {
        Path gcLog = dir.resolve("gc.log");
        AnalyzeProcess run =
                AnalyzeProcess.run(
                        List.of(HEAP, "-Xlog:gc,gc+exit:file=" + gcLog), "--json", bomb.toString());

        assertThat(run.out() + run.err()).doesNotContain("OutOfMemoryError");
        assertThat(run.status()).as(run.err()).isZero();
        System.out.printf(
                Locale.ROOT,
                "%s: %,d bytes gzipped; heap used at most %d MiB of 256 MiB, garbage included"
                        + " (GC log)%n",
                what,
                Files.size(bomb),
                peakMiB(gcLog));
        return json.readValue(run.out(), HeapSummary.class);
    }

    /**
     * The heap's high-water mark, garbage included: used heap only falls at a collection, so its
     * peak is just before one or at exit.
     */
    private static long peakMiB(Path gcLog) throws Exception {
        long peakKiB = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher collected = COLLECTED.matcher(line);
            if (collected.find()) {
                peakKiB = Math.max(peakKiB, Long.parseLong(collected.group(1)) << 10);
            }
            Matcher atExit = AT_EXIT.matcher(line);
            if (atExit.find()) {
                peakKiB = Math.max(peakKiB, Long.parseLong(atExit.group(1)));
            }
        }
        return peakKiB >> 10;
    }
}
