package dev.dumpflow.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sidecar that may not enter a watched process's {@code /proc/<pid>/root} (another UID, no
 * CAP_SYS_PTRACE) says so and counts it, rather than missing its dumps in silence: the packaged
 * sidecar runs as {@code nobody}, the watched process as root.
 */
class ProcessRootRefusedIT {

    @TempDir Path dir;

    @Test
    void aProcessOfAnotherUserIsCountedAsRefused() throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name"))
                        && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and setpriv to run the sidecar as another user");
        String marker = "dumpflow-refused-" + UUID.randomUUID();
        Process app = new ProcessBuilder("bash", "-c", "exec -a " + marker + " sleep 600").start();
        Path state = Files.createDirectories(dir.resolve("state"));
        for (Path open : List.of(dir, state)) {
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        try (PackagedSidecar sidecar =
                PackagedSidecar.start(
                        dir.resolve("unused"),
                        dir.resolve("sidecar.log"),
                        Map.of(
                                "DUMPFLOW_DUMP_DIRS", "none",
                                "DUMPFLOW_PROCESS_DUMP_DIRS", "/tmp",
                                "DUMPFLOW_STATE_DIR", state.toString(),
                                "DUMPFLOW_PROCESS_MATCH", marker,
                                "DUMPFLOW_POLL_INTERVAL", "200ms"),
                        List.of(
                                "setpriv",
                                "--reuid=65534",
                                "--regid=65534",
                                "--clear-groups",
                                "--inh-caps=-all"))) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (sidecar.metric("dumpflow_sidecar_process_roots_refused_total") == 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(sidecar.metric("dumpflow_sidecar_process_roots_refused_total"))
                    .as(sidecar.output())
                    .isEqualTo(1);
        } finally {
            app.destroyForcibly().waitFor();
        }
    }
}
