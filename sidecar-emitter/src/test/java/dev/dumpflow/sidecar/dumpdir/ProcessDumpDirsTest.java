package dev.dumpflow.sidecar.dumpdir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.ProcessRuntime;
import dev.dumpflow.events.Samples;
import dev.dumpflow.sidecar.memory.ProcFiles;
import dev.dumpflow.sidecar.memory.WatchedProcess;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.serve.AnnouncedDumps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directories inside processes, followed as the memory watch reports them. Real short-lived
 * processes stand for an application container's: their {@code /proc/<pid>/root} is this file
 * system, and dies with them.
 */
class ProcessDumpDirsTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final byte[] HPROF = "JAVA PROFILE 1.0.2\0dump".getBytes(StandardCharsets.US_ASCII);

    @TempDir Path dir;

    final RecordingSink sink = new RecordingSink();
    final List<Process> apps = new ArrayList<>();
    ClosedDumps detection;
    AnnouncedDumps registry;

    @AfterEach
    void stop() throws InterruptedException {
        if (detection != null) {
            detection.close();
        }
        for (Process app : apps) {
            app.destroyForcibly().waitFor();
        }
    }

    void start(Path watched) throws IOException {
        DumpDirConfig config =
                new DumpDirConfig(
                        List.of(),
                        List.of(new ProcessDumpDir.Fixed(watched)),
                        dir.resolve("state"));
        registry = AnnouncedDumps.open(config.stateDir(), Duration.ofHours(1), Clock.systemUTC());
        detection =
                ClosedDumps.start(
                        config,
                        ReannounceConfig.OFF,
                        registry,
                        sink,
                        Samples.pod(),
                        "http://127.0.0.1:8787/dumps/",
                        Duration.ofMillis(50),
                        Clock.systemUTC(),
                        new SidecarMetrics());
    }

    WatchedProcess app() throws IOException {
        Process app = new ProcessBuilder("sleep", "600").start();
        apps.add(app);
        long start = ProcFiles.system().stat(app.pid()).orElseThrow().startTicks();
        return new WatchedProcess(app.pid(), app.pid(), start, "sleep 600", ProcessRuntime.OTHER);
    }

    @Test
    void aDirectoryThatAppearsLaterIsWatchedFromTheNextPoll() throws Exception {
        Path later = dir.resolve("later");
        start(later);
        WatchedProcess app = app();
        detection.processDirs().seen(List.of(app));

        Files.createDirectories(later);
        detection.processDirs().seen(List.of(app));
        Files.write(later.resolve("java_pid7.hprof"), HPROF);

        RecordingSink.Emitted closed = sink.await("java_pid7.hprof", WAIT);
        assertThat(registry.find(closed.dumpId()).orElseThrow().file())
                .isEqualTo(
                        Path.of("/proc", Long.toString(app.pid()), "root")
                                .resolve(later.toString().substring(1))
                                .resolve("java_pid7.hprof"));
    }

    @Test
    void aDirectoryOfTwoProcessesIsAnnouncedOnceAndFollowedThroughTheOneThatLives()
            throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        start(dumps);
        WatchedProcess shell = app();
        WatchedProcess jvm = app();
        detection.processDirs().seen(List.of(shell, jvm));

        Files.write(dumps.resolve("java_pid1.hprof"), HPROF);
        sink.await("java_pid1.hprof", WAIT);

        apps.getFirst().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        detection.processDirs().seen(List.of(jvm));
        Files.write(dumps.resolve("java_pid2.hprof"), HPROF);
        sink.await("java_pid2.hprof", WAIT);
        // A barrier: what the second process reported is all there is.
        Files.write(dumps.resolve("core.3"), FormatSnifferTest.ELF);
        sink.await("core.3", WAIT);

        assertThat(sink.fileNames())
                .containsExactly("java_pid1.hprof", "java_pid2.hprof", "core.3");
        Path throughJvm = Path.of("/proc", Long.toString(jvm.pid()));
        assertThat(registry.all())
                .filteredOn(d -> !d.fileName().equals("java_pid1.hprof"))
                .allMatch(d -> d.file().startsWith(throughJvm));
        // The first, found through the shell's root that is gone now, is still served.
        String first = registry.all().getFirst().dumpId();
        registry.forgetMissingFiles();
        assertThat(registry.openForReading(first)).isPresent();
    }

    @Test
    void onlyKnownDumpFormatsAreAnnouncedFromAProcesssDirectory() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        start(tmp);
        detection.processDirs().seen(List.of(app()));

        Files.writeString(tmp.resolve("session.log"), "not a dump");
        Files.write(tmp.resolve("libnative.so"), FormatSnifferTest.SHARED_LIBRARY);
        Files.write(tmp.resolve("heap.bin"), HPROF);

        sink.await("heap.bin", WAIT);
        Thread.sleep(300);
        assertThat(sink.fileNames()).containsExactly("heap.bin");
    }
}
