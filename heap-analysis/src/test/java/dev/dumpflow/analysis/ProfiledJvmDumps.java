package dev.dumpflow.analysis;

import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.HeapSummary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Dumps of real child JVMs running {@link AllocationProfile}, each taken with its histogram at the
 * same moment. The default JVM's dumps are made once and shared by the test classes.
 */
public final class ProfiledJvmDumps {

    /** One JVM's plain and gzipped dumps and its own histogram. */
    public record Snapshot(Path plain, Path gzipped, JcmdHistogram histogram) {}

    private static Snapshot defaultJvm;

    private ProfiledJvmDumps() {}

    public static synchronized Snapshot defaultJvm() throws Exception {
        if (defaultJvm == null) {
            defaultJvm = take(List.of(), true);
        }
        return defaultJvm;
    }

    /**
     * Starts a JVM with the flags, lets it allocate, then takes its histogram and dumps, and checks
     * a second histogram is unchanged, so that the dump saw the same heap.
     */
    static Snapshot take(List<String> jvmFlags, boolean gzipToo) throws Exception {
        Path dir = Files.createTempDirectory("dumpflow-hprof");
        deleteOnExit(dir);
        List<String> arguments = new ArrayList<>(jvmFlags);
        arguments.addAll(
                List.of(
                        "-Xmx64m",
                        "-cp",
                        ChildJvm.testClassPath(),
                        AllocationProfile.class.getName()));
        try (ChildJvm jvm = ChildJvm.start(arguments, "READY")) {
            return snapshot(jvm, dir, gzipToo);
        }
    }

    /** The histogram and dumps of a running JVM, retried while its heap is still changing. */
    public static Snapshot snapshot(ChildJvm jvm, Path dir, boolean gzipToo) throws Exception {
        jvm.jcmd("VM.version"); // the first attach starts the attach listener: let it settle
        for (int attempt = 1; ; attempt++) {
            JcmdHistogram before = jvm.histogram();
            Path plain = jvm.heapDump(dir.resolve("heap.hprof"), 0);
            Path gzipped = gzipToo ? jvm.heapDump(dir.resolve("heap.hprof.gz"), 1) : null;
            JcmdHistogram after = jvm.histogram();
            if (before.equals(after) || attempt == 5) {
                return new Snapshot(plain, gzipped, before);
            }
        }
    }

    public static HeapSummary analyze(Path dump, AnalysisSettings settings) throws IOException {
        return analysis(dump, settings).summary();
    }

    /** The summary of the dump file and its full class histogram. */
    public static HeapAnalysis analysis(Path dump, AnalysisSettings settings) throws IOException {
        try (InputStream in = Files.newInputStream(dump)) {
            return new HprofAnalyzer(settings)
                    .analyze(
                            in,
                            dump.toString().endsWith(".gz")
                                    ? DumpFormat.HPROF_GZ
                                    : DumpFormat.HPROF)
                    .orElseThrow();
        }
    }

    private static void deleteOnExit(Path dir) {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try (Stream<Path> files = Files.walk(dir)) {
                                        for (Path p :
                                                files.sorted(Comparator.reverseOrder()).toList()) {
                                            Files.deleteIfExists(p);
                                        }
                                    } catch (IOException e) {
                                        // A temp directory left behind is harmless.
                                    }
                                }));
    }
}
