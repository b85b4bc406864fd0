package dev.dumpflow.sidecar.dumpdir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dumpflow.sidecar.capture.CaptureConfig;
import dev.dumpflow.sidecar.config.ConfigException;
import dev.dumpflow.sidecar.config.SidecarConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code DUMPFLOW_PROCESS_DUMP_DIRS} and what it changes in the other directories' defaults. */
class ProcessDumpDirConfigTest {

    static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("K_SINK", "http://broker-ingress/shop/default");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void parsesPathsCwdAndAutoInOrderWithoutDuplicates() {
        SidecarConfig config =
                SidecarConfig.fromEnv(
                        env(
                                "DUMPFLOW_PROCESS_DUMP_DIRS", " /tmp, cwd ,auto,/app/dumps/,/tmp",
                                "DUMPFLOW_STATE_DIR", "/state"));

        assertThat(config.dumpDirs().processDirs())
                .containsExactly(
                        new ProcessDumpDir.Fixed(Path.of("/tmp")),
                        new ProcessDumpDir.WorkingDirectory(),
                        new ProcessDumpDir.HeapDumpPath(),
                        new ProcessDumpDir.Fixed(Path.of("/app/dumps")));
    }

    @Test
    void withProcessDirsTheSidecarHasNoDumpDirOfItsOwnAndStateAndOutboxGoWhereTold() {
        SidecarConfig config =
                SidecarConfig.fromEnv(
                        env(
                                "DUMPFLOW_PROCESS_DUMP_DIRS", "auto",
                                "DUMPFLOW_STATE_DIR", "/var/lib/dumpflow"));

        assertThat(config.dumpDirs().dirs()).isEmpty();
        assertThat(config.dumpDirs().stateDir()).isEqualTo(Path.of("/var/lib/dumpflow"));
        assertThat(config.outbox().dir()).isEqualTo(Path.of("/var/lib/dumpflow/outbox"));
        // Captures land in the process's own /tmp: there is no shared volume to put them on.
        assertThat(config.capture().inProcess()).isTrue();
        assertThat(config.capture().dumpDir()).isEqualTo(Path.of("/tmp"));
    }

    @Test
    void refusesToStartWithoutADumpDirWhenNothingSaysWhereStateGoes() {
        assertThatThrownBy(() -> SidecarConfig.fromEnv(env("DUMPFLOW_PROCESS_DUMP_DIRS", "auto")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DUMPFLOW_STATE_DIR is required")
                .hasMessageContaining("emptyDir");
    }

    @Test
    void bothKindsOfDirectoriesCanBeWatchedAtOnce() {
        DumpDirConfig both =
                SidecarConfig.fromEnv(
                                env(
                                        "DUMPFLOW_DUMP_DIRS", "/dumps",
                                        "DUMPFLOW_PROCESS_DUMP_DIRS", "cwd"))
                        .dumpDirs();

        assertThat(both.dirs()).containsExactly(Path.of("/dumps"));
        assertThat(both.processDirs()).containsExactly(new ProcessDumpDir.WorkingDirectory());
        assertThat(both.stateDir()).isEqualTo(Path.of("/dumps/.dumpflow"));
    }

    @Test
    void refusesWrongEntriesNamingTheVariableAndTheAcceptedForms() {
        for (String wrong : List.of("tmp", "/tmp,relative/dir", ",", "cwd,autoo")) {
            assertThatThrownBy(
                            () ->
                                    SidecarConfig.fromEnv(
                                            env(
                                                    "DUMPFLOW_PROCESS_DUMP_DIRS",
                                                    wrong,
                                                    "DUMPFLOW_STATE_DIR",
                                                    "/state")))
                    .as(wrong)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("DUMPFLOW_PROCESS_DUMP_DIRS")
                    .hasMessageContaining("cwd")
                    .hasMessageContaining("auto");
        }
    }

    @Test
    void noDumpDirsAtAllIsRefused() {
        assertThatThrownBy(() -> SidecarConfig.fromEnv(env("DUMPFLOW_DUMP_DIRS", "none")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DUMPFLOW_DUMP_DIRS")
                .hasMessageContaining("DUMPFLOW_PROCESS_DUMP_DIRS");
    }

    @Test
    void capturesGoIntoTheProcessWhenToldEvenWithADumpVolume() {
        CaptureConfig told =
                CaptureConfig.fromEnv(
                        env(
                                "DUMPFLOW_DUMP_DIRS",
                                "/dumps",
                                "DUMPFLOW_CAPTURE_DIR_IN_PROCESS",
                                "/var/tmp"));
        assertThat(told.inProcess()).isTrue();
        assertThat(told.dumpDir()).isEqualTo(Path.of("/var/tmp"));

        CaptureConfig volume = CaptureConfig.fromEnv(env("DUMPFLOW_DUMP_DIRS", "/dumps"));
        assertThat(volume.inProcess()).isFalse();
        assertThat(volume.dumpDir()).isEqualTo(Path.of("/dumps"));

        assertThatThrownBy(
                        () ->
                                CaptureConfig.fromEnv(
                                        env("DUMPFLOW_CAPTURE_DIR_IN_PROCESS", "relative")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DUMPFLOW_CAPTURE_DIR_IN_PROCESS");
    }
}
