package dev.dumpflow.analysis;

import dev.dumpflow.analysis.command.HeapReport;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.HeapSummary;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Times the analyzer over a dump file, single-threaded, and prints MB/s per run (MB = 10^6 bytes).
 * Not a test: run it by hand on a large dump (see docs), with the file in the page cache.
 */
public final class HprofParseThroughput {

    private HprofParseThroughput() {}

    public static void main(String[] args) throws Exception {
        Path dump = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        HprofAnalyzer analyzer = new HprofAnalyzer(AnalysisSettings.defaults().withTopClasses(10));
        DumpFormat format =
                dump.toString().endsWith(".gz") ? DumpFormat.HPROF_GZ : DumpFormat.HPROF;
        long bytes = Files.size(dump);
        HeapSummary summary = null;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int run = 1; run <= runs; run++) {
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            try (InputStream in = Files.newInputStream(dump)) {
                summary = analyzer.analyze(in, format).orElseThrow().summary();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "run %d: %,d bytes in %.3f s = %.0f MB/s wall; %.3f s of CPU = %.0f MB/s per"
                            + " CPU-second%n",
                    run,
                    bytes,
                    seconds,
                    bytes / seconds / 1e6,
                    cpuSeconds,
                    bytes / cpuSeconds / 1e6);
        }
        System.out.print(HeapReport.text(summary));
    }
}
