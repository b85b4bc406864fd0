package dev.dumpflow.sidecar.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dumpflow.events.ProcessRuntime;
import dev.dumpflow.sidecar.capture.dotnet.DotnetDumpType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaptureConfigTest {

    @Test
    void defaultsAreOffThreePerHourNoCooldownWithHeapAndNoEndpoint() {
        CaptureConfig c = CaptureConfig.fromEnv(Map.of());
        assertThat(c.mode()).isEqualTo(CaptureMode.OFF);
        assertThat(c.dumpDir()).isEqualTo(Path.of("/dumps"));
        assertThat(c.stateDir()).isEqualTo(Path.of("/dumps/.dumpflow"));
        assertThat(c.partialDir()).isEqualTo(Path.of("/dumps/.dumpflow/partial"));
        assertThat(c.limit()).isEqualTo(new CaptureLimit(3, Duration.ofHours(1)));
        assertThat(c.cooldown()).isZero();
        assertThat(c.dotnetDumpType()).isEqualTo(DotnetDumpType.WITH_HEAP);
        assertThat(c.adminToken()).isEmpty();
        assertThat(c.dumpDirSizeLimit()).isEmpty();
    }

    @Test
    void readsTheDumpVolumeSizeLimit() {
        assertThat(
                        CaptureConfig.fromEnv(Map.of("DUMPFLOW_DUMP_DIR_SIZE_LIMIT", "4Gi"))
                                .dumpDirSizeLimit())
                .hasValue(4L << 30);
        assertThatThrownBy(
                        () -> CaptureConfig.fromEnv(Map.of("DUMPFLOW_DUMP_DIR_SIZE_LIMIT", "huge")))
                .hasMessageContaining("DUMPFLOW_DUMP_DIR_SIZE_LIMIT");
    }

    @Test
    void capturesIntoTheFirstDumpDirectory() {
        CaptureConfig c =
                CaptureConfig.fromEnv(
                        Map.of(
                                "DUMPFLOW_DUMP_DIRS",
                                "/data/dumps, /tmp/other",
                                "DUMPFLOW_CAPTURE",
                                "auto"));
        assertThat(c.dumpDir()).isEqualTo(Path.of("/data/dumps"));
        assertThat(c.mode().covers(ProcessRuntime.JVM)).isTrue();
        assertThat(c.mode().covers(ProcessRuntime.DOTNET)).isTrue();
        assertThat(c.mode().covers(ProcessRuntime.OTHER)).isFalse();
    }

    @Test
    void theAdminTokenNeverPrints() {
        String secret = "s3cr3t-token-0123456789abcdef";
        CaptureConfig c = CaptureConfig.fromEnv(Map.of("DUMPFLOW_ADMIN_TOKEN", secret));
        assertThat(c.toString()).doesNotContain(secret).contains("redacted");
        assertThat(c.adminToken().orElseThrow().matches(secret)).isTrue();
        assertThat(c.adminToken().orElseThrow().matches(secret + "x")).isFalse();
    }

    @Test
    void badValuesFailNamingTheirVariableAndForms() {
        assertThatThrownBy(() -> CaptureConfig.fromEnv(Map.of("DUMPFLOW_CAPTURE", "always")))
                .hasMessageContaining("DUMPFLOW_CAPTURE")
                .hasMessageContaining("off, jvm, dotnet, auto");
        assertThatThrownBy(() -> CaptureConfig.fromEnv(Map.of("DUMPFLOW_CAPTURE_LIMIT", "3")))
                .hasMessageContaining("DUMPFLOW_CAPTURE_LIMIT")
                .hasMessageContaining("3/1h");
        assertThatThrownBy(() -> CaptureConfig.fromEnv(Map.of("DUMPFLOW_CAPTURE_COOLDOWN", "soon")))
                .hasMessageContaining("DUMPFLOW_CAPTURE_COOLDOWN");
        assertThatThrownBy(() -> CaptureConfig.fromEnv(Map.of("DUMPFLOW_DOTNET_DUMP_TYPE", "huge")))
                .hasMessageContaining("DUMPFLOW_DOTNET_DUMP_TYPE")
                .hasMessageContaining("WithHeap");
        assertThatThrownBy(() -> CaptureConfig.fromEnv(Map.of("DUMPFLOW_ADMIN_TOKEN", "short")))
                .hasMessageContaining("DUMPFLOW_ADMIN_TOKEN")
                .hasMessageNotContaining("short");
        assertThatThrownBy(() -> CaptureConfig.fromEnv(Map.of("DUMPFLOW_DUMP_DIRS", "dumps")))
                .hasMessageContaining("DUMPFLOW_DUMP_DIRS");
    }
}
