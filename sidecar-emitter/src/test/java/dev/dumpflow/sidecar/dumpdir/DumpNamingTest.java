package dev.dumpflow.sidecar.dumpdir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.DumpCause;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DumpNamingTest {

    @Test
    void jvmOomDumpNameMeansOomWithItsPid() {
        assertThat(DumpNaming.causeOf("java_pid4242.hprof")).isEqualTo(DumpCause.OOM);
        assertThat(DumpNaming.causeOf("java_pid4242.hprof.1")).isEqualTo(DumpCause.OOM);
        assertThat(DumpNaming.pidOf("java_pid4242.hprof")).hasValue(4242);
    }

    @Test
    void captureNamesRoundTripTheirCauseAndPid() {
        String name =
                DumpNaming.captureFileName(
                        DumpCause.THRESHOLD, 7, Instant.parse("2026-11-22T03:49:12Z"), "hprof");
        assertThat(name).isEqualTo("dumpflow_threshold_pid7_20261122T034912Z.hprof");
        assertThat(DumpNaming.causeOf(name)).isEqualTo(DumpCause.THRESHOLD);
        assertThat(DumpNaming.pidOf(name)).hasValue(7);
    }

    @Test
    void anyOtherNameTellsNothing() {
        assertThat(DumpNaming.causeOf("heap.hprof")).isEqualTo(DumpCause.UNKNOWN);
        assertThat(DumpNaming.causeOf("java_pid12.hprof.tmp")).isEqualTo(DumpCause.UNKNOWN);
        assertThat(DumpNaming.pidOf("core")).isEmpty();
    }
}
