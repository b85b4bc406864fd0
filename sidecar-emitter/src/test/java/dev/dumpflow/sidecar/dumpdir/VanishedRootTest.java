package dev.dumpflow.sidecar.dumpdir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.Samples;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.serve.AnnouncedDumps;
import dev.dumpflow.sidecar.serve.ProcessRootPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dump whose process and root are gone before it could be opened is logged and counted. */
class VanishedRootTest {

    @TempDir Path dir;

    @Test
    void aDumpFoundThroughARootThatVanishedIsCountedAndNotAnnounced() throws Exception {
        Process app = new ProcessBuilder("sleep", "600").start();
        Path onDisk =
                Files.write(
                        dir.resolve("java_pid1.hprof"),
                        "JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.US_ASCII));
        Path throughRoot = ProcessRootPath.inside(app.pid(), onDisk);
        app.destroyForcibly();
        assertThat(app.waitFor(10, TimeUnit.SECONDS)).isTrue();
        SidecarMetrics metrics = new SidecarMetrics();
        RecordingSink sink = new RecordingSink();
        AnnouncedDumps registry =
                AnnouncedDumps.open(dir.resolve("state"), Duration.ofHours(1), Clock.systemUTC());
        DumpAnnouncer announcer =
                new DumpAnnouncer(
                        registry,
                        sink,
                        Samples.pod(),
                        "http://127.0.0.1:1/dumps/",
                        Clock.systemUTC(),
                        metrics);
        try (SettleCheck settle =
                new SettleCheck(
                        Duration.ofMillis(10),
                        registry.files(),
                        (file, state) -> false,
                        announcer::announce,
                        announcer::unreachable)) {
            settle.consider(throughRoot);
            // A file that merely went away in a live directory is no vanished root.
            settle.consider(dir.resolve("java_pid2.hprof"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!metrics.render(0).contains("dumpflow_sidecar_dumps_unreachable_total 1")
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        assertThat(metrics.render(0)).contains("dumpflow_sidecar_dumps_unreachable_total 1");
        assertThat(registry.all()).isEmpty();
        assertThat(sink.all()).isEmpty();
    }
}
