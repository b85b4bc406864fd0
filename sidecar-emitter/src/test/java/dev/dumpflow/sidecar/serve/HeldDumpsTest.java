package dev.dumpflow.sidecar.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Announced dumps are held open and served through their descriptor. A real short-lived process
 * plays the application: its {@code /proc/<pid>/root} leads to this file system, and dies with it,
 * as an application container's does.
 */
class HeldDumpsTest {

    static final Instant NOW = Instant.parse("2026-12-07T05:00:00Z");
    static final byte[] CONTENT = "JAVA PROFILE 1.0.2\0held".getBytes(StandardCharsets.US_ASCII);

    @TempDir Path dir;

    Instant now = NOW;
    final Clock clock =
            new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now;
                }
            };
    final SidecarMetrics metrics = new SidecarMetrics();
    Process app;
    Path onDisk;
    Path throughRoot;
    AnnouncedDumps registry;

    @BeforeEach
    void anAppWithADump() throws IOException {
        app = new ProcessBuilder("sleep", "600").start();
        onDisk = Files.write(dir.resolve("java_pid7.hprof"), CONTENT);
        throughRoot = ProcessRootPath.inside(app.pid(), onDisk);
        registry = AnnouncedDumps.open(dir.resolve("state"), Duration.ofHours(1), clock, metrics);
    }

    @AfterEach
    void stop() throws InterruptedException {
        app.destroyForcibly().waitFor();
        registry.close();
    }

    AnnouncedDump announce() throws IOException {
        return Announcing.announce(
                registry,
                "d1",
                throughRoot,
                CONTENT.length,
                Files.getLastModifiedTime(onDisk).toMillis(),
                NOW,
                DumpFormat.HPROF,
                DumpCause.OOM,
                7L);
    }

    void appExits() throws InterruptedException {
        app.destroy();
        assertThat(app.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessRootPath.rootVanished(throughRoot)).isTrue();
        assertThat(throughRoot).doesNotExist();
    }

    @Test
    void aDumpWhoseProcessRootVanishedIsKeptAndServedThroughItsDescriptor() throws Exception {
        announce();
        appExits();

        registry.forgetMissingFiles();

        assertThat(registry.find("d1")).isPresent();
        assertThat(read(registry.openForReading("d1").orElseThrow())).isEqualTo(CONTENT);
        assertThat(metrics.render(0)).contains("dumpflow_sidecar_dumps_held 1");
    }

    @Test
    void deletingWhileTheProcessLivesUnlinksThroughItsRoot() throws Exception {
        announce();

        assertThat(registry.delete("d1")).isEqualTo(AnnouncedDumps.Deletion.UNLINKED);

        assertThat(onDisk).doesNotExist();
        assertThat(metrics.render(0)).contains("dumpflow_sidecar_dumps_held 0");
    }

    /**
     * Here every process shares this file system, so another always reaches the file; with none
     * left (a container whose processes all exited) closing the descriptor is the delete, which
     * InProcessDumpsTest shows in a mount namespace of its own.
     */
    @Test
    void deletingAfterItsProcessExitedUnlinksThroughAnotherProcessOfTheSameFileSystem()
            throws Exception {
        Process supervisor = new ProcessBuilder("sleep", "600").start();
        try {
            announce();
            appExits();

            assertThat(registry.delete("d1")).isEqualTo(AnnouncedDumps.Deletion.UNLINKED);

            assertThat(onDisk).doesNotExist();
            assertThat(registry.find("d1")).isEmpty();
            assertThat(metrics.render(0)).contains("dumpflow_sidecar_dumps_held 0");
        } finally {
            supervisor.destroyForcibly().waitFor();
        }
    }

    @Test
    void aDumpDeletedByItsProcessIsForgottenNotServed() throws Exception {
        announce();
        Files.delete(onDisk);

        registry.forgetMissingFiles();

        assertThat(registry.find("d1")).isEmpty();
        assertThat(metrics.render(0)).contains("dumpflow_sidecar_dumps_held 0");
    }

    @Test
    void aRestartOpensWhatIsStillThereAndDropsAndCountsWhatIsNot() throws Exception {
        announce();
        Path other = Files.write(dir.resolve("core.9"), new byte[] {1, 2, 3});
        Announcing.announce(
                registry,
                "d2",
                other,
                3,
                Files.getLastModifiedTime(other).toMillis(),
                NOW,
                DumpFormat.CORE,
                DumpCause.UNKNOWN,
                null);
        registry.close();
        appExits();

        SidecarMetrics after = new SidecarMetrics();
        AnnouncedDumps restarted =
                AnnouncedDumps.open(dir.resolve("state"), Duration.ofHours(1), clock, after);

        // The descriptor did not survive; the path through the dead root leads nowhere.
        assertThat(restarted.find("d1")).isEmpty();
        assertThat(read(restarted.openForReading("d2").orElseThrow())).containsExactly(1, 2, 3);
        assertThat(after.render(0))
                .contains("dumpflow_sidecar_announcements_dropped_total 1")
                .contains("dumpflow_sidecar_dumps_held 1");
        restarted.close();
        // What it forgot stays forgotten.
        assertThat(AnnouncedDumps.open(dir.resolve("state"), Duration.ofHours(1), clock).find("d1"))
                .isEmpty();
    }

    @Test
    void anExpiredTokenLetsGoOfTheFileAndForgetsADumpNoPathLeadsTo() throws Exception {
        announce();
        Path own = Files.write(dir.resolve("core.5"), new byte[] {5});
        Announcing.announce(
                registry,
                "d2",
                own,
                1,
                Files.getLastModifiedTime(own).toMillis(),
                NOW,
                DumpFormat.CORE,
                DumpCause.UNKNOWN,
                null);
        appExits();

        now = NOW.plus(Duration.ofMinutes(59));
        registry.releaseExpired();
        assertThat(metrics.render(0)).contains("dumpflow_sidecar_dumps_held 2");

        now = NOW.plus(Duration.ofHours(1));
        registry.releaseExpired();

        assertThat(metrics.render(0)).contains("dumpflow_sidecar_dumps_held 0");
        assertThat(registry.find("d1")).isEmpty();
        // Still on its path: recorded, so not announced anew; held again when announced again.
        assertThat(registry.find("d2")).isPresent();
        assertThat(registry.openForReading("d2")).isEmpty();
        registry.announceAgain("d2");
        assertThat(read(registry.openForReading("d2").orElseThrow())).containsExactly(5);
    }

    static byte[] read(FileChannel channel) throws IOException {
        try (channel) {
            ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // until full
            }
            return buffer.array();
        }
    }
}
