package dev.dumpflow.sidecar.dumpdir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.Samples;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.serve.AnnouncedDumps;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClosedDumpsTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final byte[] HPROF_HEAD = "JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.US_ASCII);

    @TempDir Path dumps;
    @TempDir Path elsewhere;

    final RecordingSink sink = new RecordingSink();
    ClosedDumps detection;

    @AfterEach
    void stop() {
        if (detection != null) {
            detection.close();
        }
    }

    ClosedDumps start() throws IOException {
        DumpDirConfig config = new DumpDirConfig(List.of(dumps), dumps.resolve(".dumpflow"));
        AnnouncedDumps registry =
                AnnouncedDumps.open(config.stateDir(), Duration.ofHours(1), Clock.systemUTC());
        detection =
                ClosedDumps.start(
                        config,
                        ReannounceConfig.OFF,
                        registry,
                        sink,
                        Samples.pod(),
                        "http://127.0.0.1:8787/dumps/",
                        ClosedDumps.QUIET_PERIOD,
                        Clock.systemUTC(),
                        new SidecarMetrics());
        return detection;
    }

    /** Writes a file that is announced after the files before it, to wait on. */
    void barrier(String name) throws Exception {
        Files.write(dumps.resolve(name), new byte[] {1});
        sink.await(name, WAIT);
    }

    @Test
    void neverAnnouncesAFileStillBeingWrittenByAWriterThatPauses() throws Exception {
        start();
        Path file = dumps.resolve("java_pid4242.hprof");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(HPROF_HEAD);
            for (int i = 0; i < 4; i++) {
                out.write(new byte[64 * 1024]);
                out.flush();
                // A pause far longer than the quiet period: the open descriptor must hold it back.
                Files.write(dumps.resolve("pause-" + i), new byte[] {1});
                sink.await("pause-" + i, WAIT);
                assertThat(sink.fileNames()).doesNotContain("java_pid4242.hprof");
            }
        }
        RecordingSink.Emitted event = sink.await("java_pid4242.hprof", WAIT);

        assertThat(event.type()).isEqualTo(EventTypes.DUMP_CLOSED);
        assertThat(event.data().sizeBytes()).isEqualTo(HPROF_HEAD.length + 4 * 64 * 1024);
        assertThat(event.data().format()).isEqualTo(DumpFormat.HPROF);
        assertThat(event.data().cause()).isEqualTo(DumpCause.OOM);
        assertThat(event.data().pid()).isEqualTo(4242L);
        assertThat(event.subject()).isEqualTo(event.dumpId()).isEqualTo(event.data().dumpId());
        assertThat(event.data().fetch().url().toString())
                .isEqualTo("http://127.0.0.1:8787/dumps/" + event.dumpId());
    }

    @Test
    void aFileReopenedRightAfterItsCloseIsAnnouncedOnceWithItsFinalSize() throws Exception {
        start();
        Path file = dumps.resolve("heap.hprof");
        Files.write(file, HPROF_HEAD);
        Files.write(file, new byte[1000], java.nio.file.StandardOpenOption.APPEND);
        barrier("after-reopen");

        assertThat(sink.fileNames()).containsOnlyOnce("heap.hprof");
        assertThat(sink.await("heap.hprof", WAIT).data().sizeBytes())
                .isEqualTo(HPROF_HEAD.length + 1000);
    }

    @Test
    void aFileWithAControlCharacterInItsNameAndAnMtimeBeforeTheEpochIsStillAnnounced()
            throws Exception {
        start();
        Path file = dumps.resolve("java_pid7.hprof\n\u001b[2J");
        Files.write(file, HPROF_HEAD);
        Files.setLastModifiedTime(
                file,
                java.nio.file.attribute.FileTime.from(
                        java.time.Instant.parse("1960-01-01T00:00:00Z")));

        RecordingSink.Emitted event = sink.await("java_pid7.hprof??[2J", WAIT);

        assertThat(event.data().closedAt()).isAfter(java.time.Instant.now().minusSeconds(60));
        assertThat(event.data().fetch().url().toString()).endsWith("/dumps/" + event.dumpId());
    }

    @Test
    void aFileMovedInIsAnnounced() throws Exception {
        start();
        Path outside = elsewhere.resolve("core.1234");
        Files.write(outside, FormatSnifferTest.ELF);
        Files.move(outside, dumps.resolve("core.1234"), StandardCopyOption.ATOMIC_MOVE);

        RecordingSink.Emitted event = sink.await("core.1234", WAIT);
        assertThat(event.data().format()).isEqualTo(DumpFormat.CORE);
        assertThat(event.data().cause()).isEqualTo(DumpCause.UNKNOWN);
    }

    @Test
    void hiddenTemporaryAndParallelDumpPiecesAreNeverAnnounced() throws Exception {
        start();
        for (String name :
                List.of(".hidden", "heap.hprof.p0", "heap.hprof.p12", "x.tmp", "y.part")) {
            Files.write(dumps.resolve(name), HPROF_HEAD);
        }
        Files.writeString(dumps.resolve(".dumpflow").resolve("other.json"), "{}");
        barrier("after-pieces");

        assertThat(sink.fileNames()).containsExactly("after-pieces");
    }

    @Test
    void filesPresentAtStartUpAreAnnouncedOnceAndNotAgainAfterARestart() throws Exception {
        Files.write(dumps.resolve("java_pid7.hprof"), HPROF_HEAD);
        Files.write(dumps.resolve("dotnet.dmp"), "MDMP....".getBytes(StandardCharsets.US_ASCII));
        start();
        sink.await("java_pid7.hprof", WAIT);
        sink.await("dotnet.dmp", WAIT);
        String firstId = sink.await("java_pid7.hprof", WAIT).dumpId();

        detection.close();
        Files.write(dumps.resolve("later.hprof"), HPROF_HEAD);
        start();
        barrier("after-restart");

        assertThat(sink.fileNames())
                .containsOnlyOnce("java_pid7.hprof", "dotnet.dmp", "later.hprof");
        assertThat(sink.await("dotnet.dmp", WAIT).data().format()).isEqualTo(DumpFormat.DOTNET);
        assertThat(sink.await("java_pid7.hprof", WAIT).dumpId()).isEqualTo(firstId);
        assertThat(
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(
                                        dumps.resolve(".dumpflow/announcements.json"))))
                .isEqualTo("rw-------");
    }
}
