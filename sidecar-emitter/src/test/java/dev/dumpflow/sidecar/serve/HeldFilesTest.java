package dev.dumpflow.sidecar.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one gate every descriptor on a dump file goes through, on real files and descriptors. */
class HeldFilesTest {

    @TempDir Path dir;

    final SidecarMetrics metrics = new SidecarMetrics();

    Path file(String name) throws IOException {
        return Files.write(dir.resolve(name), new byte[] {1});
    }

    @Test
    void refusesTheOpenPastTheCapCountsItAndOpensAgainOnceOneIsClosed() throws Exception {
        HeldFiles files = new HeldFiles(3, metrics);
        List<HeldFile> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(files.open(file("d" + i + ".hprof"), HeldFiles.Use.DUMP));
        }
        Path fourth = file("d3.hprof");

        assertThatThrownBy(() -> files.open(fourth, HeldFiles.Use.DUMP))
                .isInstanceOf(HeldFiles.Full.class)
                .hasMessageContaining("DUMPFLOW_MAX_HELD_FILES");
        assertThat(files.held()).isEqualTo(3);
        assertThat(metrics.render(0))
                .contains(
                        "dumpflow_sidecar_files_held 3",
                        "dumpflow_sidecar_files_refused_total{use=\"dump\"} 1");

        held.getFirst().close();
        held.getFirst().close(); // a second close gives nothing back twice
        try (HeldFile again = files.open(fourth, HeldFiles.Use.DUMP)) {
            assertThat(again.attributes().size()).isEqualTo(1);
            assertThat(files.held()).isEqualTo(3);
        }
        held.forEach(HeldFile::close);
        assertThat(files.held()).isZero();
        assertThat(metrics.render(0)).contains("dumpflow_sidecar_files_held 0");
    }

    @Test
    void holdsAtCreationTakeAtMostHalfSoThatDumpsStillFindRoom() throws Exception {
        HeldFiles files = new HeldFiles(4, metrics);
        HeldFile a = files.open(file("core.1"), HeldFiles.Use.EARLY);
        HeldFile b = files.open(file("core.2"), HeldFiles.Use.EARLY);

        assertThatThrownBy(() -> files.open(file("core.3"), HeldFiles.Use.EARLY))
                .isInstanceOf(HeldFiles.Full.class);
        assertThat(files.room(HeldFiles.Use.DUMP)).isEqualTo(2);
        try (HeldFile dump = files.open(file("java_pid1.hprof"), HeldFiles.Use.DUMP)) {
            assertThat(metrics.render(0))
                    .contains(
                            "dumpflow_sidecar_files_refused_total{use=\"early\"} 1",
                            "dumpflow_sidecar_files_refused_total{use=\"dump\"} 0");
        }
        a.close();
        b.close();
    }

    @Test
    void aFileThatCannotBeOpenedGivesItsPlaceBack() throws Exception {
        HeldFiles files = new HeldFiles(1, metrics);
        Files.createDirectories(dir.resolve("sub.hprof"));

        assertThatThrownBy(() -> files.open(dir.resolve("gone.hprof"), HeldFiles.Use.DUMP))
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> files.open(dir.resolve("sub.hprof"), HeldFiles.Use.DUMP))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a regular file");
        assertThat(files.held()).isZero();
        files.open(file("java_pid1.hprof"), HeldFiles.Use.DUMP).close();
        assertThat(metrics.render(0)).contains("dumpflow_sidecar_files_held 0");
    }
}
