package dev.dumpflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.HeapSummary.ClassStat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM the tests did not design: the JDK's own debugger, {@code jdb}, idle at its prompt (an idle
 * {@code jwebserver} keeps allocating on its selector loop, so its histogram never holds still).
 */
class ForeignJvmTest {

    @Test
    void topClassesOfTheJdkDebuggerEqualItsOwnHistogram(@TempDir Path dir) throws Exception {
        List<String> arguments =
                List.of("-Xmx64m", "-m", "jdk.jdi/com.sun.tools.example.debug.tty.TTY");
        ProfiledJvmDumps.Snapshot snapshot;
        try (ChildJvm jvm = ChildJvm.start(arguments, "Initializing jdb")) {
            snapshot = ProfiledJvmDumps.snapshot(jvm, dir, false);
        }
        HeapSummary summary =
                ProfiledJvmDumps.analyze(snapshot.plain(), AnalysisSettings.defaults());

        assertThat(summary.truncated()).isFalse();
        Map<String, ClassStat> top =
                summary.topClasses().stream()
                        .collect(Collectors.toMap(ClassStat::className, Function.identity()));
        for (JcmdHistogram.Row row : snapshot.histogram().top(20)) {
            if (row.className().equals("java.lang.Class")) {
                continue; // dormant CDS mirrors: counted by jcmd, left out of dumps
            }
            assertThat(top.get(row.className()))
                    .as(row.className())
                    .isNotNull()
                    .extracting(ClassStat::instances, ClassStat::bytes)
                    .containsExactly(row.instances(), row.bytes());
        }
    }
}
