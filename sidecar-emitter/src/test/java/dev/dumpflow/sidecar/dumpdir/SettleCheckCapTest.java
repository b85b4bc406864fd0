package dev.dumpflow.sidecar.dumpdir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.serve.HeldFile;
import dev.dumpflow.sidecar.serve.HeldFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settle check under the cap on held files, with real files and descriptors. */
class SettleCheckCapTest {

    @TempDir Path dir;

    final SidecarMetrics metrics = new SidecarMetrics();
    final HeldFiles files = new HeldFiles(2, metrics);
    final List<Path> settled = new CopyOnWriteArrayList<>();
    final List<HeldFile> kept = Collections.synchronizedList(new ArrayList<>());

    SettleCheck settle(boolean keep) {
        return new SettleCheck(
                Duration.ofMillis(20),
                files,
                (file, state) -> settled.contains(file),
                (path, state, file) -> {
                    settled.add(path);
                    if (keep) {
                        kept.add(file); // as the registry holds an announced dump
                    } else {
                        file.close();
                    }
                },
                path -> {});
    }

    @Test
    void filesRefusedAtTheCapAreSettledOnceDescriptorsAreFreeAndNoneIsLost() throws Exception {
        List<Path> dumps = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            dumps.add(Files.write(dir.resolve("java_pid" + i + ".hprof"), new byte[] {1}));
        }
        try (SettleCheck settle = settle(false)) {
            dumps.forEach(settle::consider);
            awaitSettled(10, Duration.ofSeconds(15));
        }

        assertThat(settled).containsExactlyInAnyOrderElementsOf(dumps);
        assertThat(files.held()).isZero();
        assertThat(metrics.render(0))
                .doesNotContain("dumpflow_sidecar_files_refused_total{use=\"dump\"} 0");
    }

    @Test
    void aDeferredFileWaitsWhileAnnouncedDumpsHoldTheCapAndIsSettledWhenOneIsLetGo()
            throws Exception {
        try (SettleCheck settle = settle(true)) {
            for (int i = 0; i < 2; i++) {
                settle.consider(Files.write(dir.resolve("core." + i), new byte[] {1}));
            }
            awaitSettled(2, Duration.ofSeconds(5));
            Path waiting = Files.write(dir.resolve("java_pid9.hprof"), new byte[] {1});
            // A deferred file deleted meanwhile is dropped, and holds nothing back.
            Path deleted = Files.write(dir.resolve("java_pid8.hprof"), new byte[] {1});
            settle.consider(deleted);
            settle.consider(waiting);
            Thread.sleep(2 * SettleCheck.RETRY.toMillis() + 200);
            assertThat(settled).hasSize(2);
            Files.delete(deleted);

            kept.removeFirst().close();
            awaitSettled(3, Duration.ofSeconds(5));
            assertThat(settled).last().isEqualTo(waiting);
        } finally {
            kept.forEach(HeldFile::close);
        }
        assertThat(files.held()).isZero();
    }

    @Test
    void aFileAnnouncedAlreadyAsItIsNowIsNotOpenedAgain() throws Exception {
        Path dump = Files.write(dir.resolve("java_pid1.hprof"), new byte[] {1});
        try (SettleCheck settle = settle(false)) {
            settle.consider(dump);
            awaitSettled(1, Duration.ofSeconds(5));
            for (int i = 0; i < 5; i++) {
                settle.consider(dump); // as a directory listed at every poll
            }
            Thread.sleep(200);
        }
        assertThat(settled).containsExactly(dump);
        assertThat(metrics.render(0)).contains("dumpflow_sidecar_files_held 0");
    }

    void awaitSettled(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (settled.size() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertThat(settled).hasSizeGreaterThanOrEqualTo(count);
    }
}
