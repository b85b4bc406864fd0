package dev.dumpflow.sidecar.dumpdir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.serve.HeldFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quiet period of the settle check, with real files and descriptors. */
class SettleCheckTest {

    @TempDir Path dir;

    final List<Path> settled = new CopyOnWriteArrayList<>();

    SettleCheck settle(Duration quiet) {
        return new SettleCheck(
                quiet,
                new HeldFiles(8, new SidecarMetrics()),
                (file, state) -> settled.contains(file),
                (path, state, file) -> {
                    settled.add(path);
                    file.close();
                },
                path -> {});
    }

    @Test
    void aFileListedAgainMoreOftenThanTheQuietPeriodStillSettles() throws Exception {
        Path dump = Files.write(dir.resolve("java_pid1.hprof"), new byte[] {1, 2, 3});
        try (SettleCheck settle = settle(Duration.ofMillis(250))) {
            // As a directory inotify refuses is listed at every poll of 100 ms.
            for (int i = 0; i < 30 && settled.isEmpty(); i++) {
                settle.consider(dump);
                Thread.sleep(100);
            }
        }
        assertThat(settled).containsExactly(dump);
    }

    @Test
    void aFileWrittenBetweenListingsSettlesOnlyOnceItIsQuiet() throws Exception {
        Path dump = dir.resolve("java_pid2.hprof");
        Files.write(dump, new byte[] {1});
        // A quiet period far longer than a listing's interval, so that no slow start settles it.
        try (SettleCheck settle = settle(Duration.ofSeconds(1))) {
            for (int i = 0; i < 10; i++) {
                Files.write(
                        dump, new byte[] {1, (byte) i}, java.nio.file.StandardOpenOption.APPEND);
                settle.consider(dump);
                Thread.sleep(100);
                assertThat(settled).as("still written to, listing %d", i).isEmpty();
            }
            for (int i = 0; i < 30 && settled.isEmpty(); i++) {
                settle.consider(dump);
                Thread.sleep(100);
            }
        }
        assertThat(settled).containsExactly(dump);
    }
}
