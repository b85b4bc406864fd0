package dev.dumpflow.sidecar.dumpdir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.Samples;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.serve.AnnouncedDumps;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real JVM, dumped with the JDK's own jcmd into a watched directory. */
class HeapDumpDetectionTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir static Path dumps;
    static Process target;
    static ClosedDumps detection;
    static final RecordingSink sink = new RecordingSink();

    @BeforeAll
    static void startTargetAndWatch() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        target =
                new ProcessBuilder(
                                java,
                                "-Xmx64m",
                                // Two GC workers, so that -parallel=2 really writes two pieces.
                                "-XX:+UseParallelGC",
                                "-XX:ParallelGCThreads=2",
                                "-XX:-UseDynamicNumberOfGCThreads",
                                "-cp",
                                System.getProperty("java.class.path"),
                                HeapDumpTarget.class.getName())
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        var stdout =
                new BufferedReader(
                        new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));
        assertThat(stdout.readLine()).startsWith("ready");

        DumpDirConfig config = new DumpDirConfig(List.of(dumps), dumps.resolve(".dumpflow"));
        detection =
                ClosedDumps.start(
                        config,
                        ReannounceConfig.OFF,
                        AnnouncedDumps.open(
                                config.stateDir(), Duration.ofHours(1), Clock.systemUTC()),
                        sink,
                        Samples.pod(),
                        "http://127.0.0.1:8787/dumps/",
                        ClosedDumps.QUIET_PERIOD,
                        Clock.systemUTC(),
                        new SidecarMetrics());
    }

    @AfterAll
    static void stop() {
        if (detection != null) {
            detection.close();
        }
        if (target != null) {
            target.destroyForcibly();
        }
    }

    static String jcmd(String... args) throws Exception {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        List<String> command = new ArrayList<>();
        command.add(java.resolveSibling("jcmd").toString());
        command.add(Long.toString(target.pid()));
        command.addAll(List.of(args));
        Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jcmd.exitValue()).as(output).isZero();
        assertThat(output).as(output).contains("Heap dump file created");
        return output;
    }

    void assertAnnouncedOnceWithFinalSize(String name, DumpFormat format) throws Exception {
        // A file written after the dump, announced after any late duplicate would have been.
        Files.write(dumps.resolve("after-" + name), new byte[] {1});
        sink.await("after-" + name, WAIT);

        RecordingSink.Emitted event = sink.await(name, WAIT);
        assertThat(sink.fileNames()).containsOnlyOnce(name);
        assertThat(sink.fileNames()).noneMatch(n -> n.matches(".*\\.p\\d+"));
        assertThat(event.data().sizeBytes()).isEqualTo(Files.size(dumps.resolve(name)));
        assertThat(event.data().format()).isEqualTo(format);
    }

    @Test
    void aSerialJcmdHeapDumpIsAnnouncedOnceWithItsFinalSize() throws Exception {
        jcmd("GC.heap_dump", "-parallel=1", dumps.resolve("serial.hprof").toString());
        assertAnnouncedOnceWithFinalSize("serial.hprof", DumpFormat.HPROF);
    }

    @Test
    void aParallelJcmdHeapDumpIsAnnouncedOnceAsTheMergedFileNotItsPieces() throws Exception {
        jcmd("GC.heap_dump", "-parallel=2", dumps.resolve("parallel.hprof").toString());
        assertAnnouncedOnceWithFinalSize("parallel.hprof", DumpFormat.HPROF);
    }

    @Test
    void aGzippedJcmdHeapDumpIsAnnouncedOnceAsHprofGz() throws Exception {
        jcmd("GC.heap_dump", "-gz=1", "-parallel=2", dumps.resolve("gz.hprof.gz").toString());
        assertAnnouncedOnceWithFinalSize("gz.hprof.gz", DumpFormat.HPROF_GZ);
    }
}
