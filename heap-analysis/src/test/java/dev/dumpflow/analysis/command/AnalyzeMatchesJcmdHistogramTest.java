package dev.dumpflow.analysis.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.analysis.JcmdHistogram;
import dev.dumpflow.analysis.ProfiledJvmDumps;
import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.HeapSummary.ClassStat;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code dumpflow analyze} on a real JVM's dump, run as a process, against the histogram {@code
 * jcmd GC.class_histogram} printed for the same heap.
 */
class AnalyzeMatchesJcmdHistogramTest {

    /**
     * CDS keeps mirrors of archived classes not yet loaded in the heap: jcmd counts them, the
     * dumper leaves them out, so this one class cannot match (see HprofAnalyzerAgainstJvmTest).
     */
    private static final String CLASS_CLASS = "java.lang.Class";

    private static ProfiledJvmDumps.Snapshot snapshot;

    @BeforeAll
    static void dumpTheProfiledJvm() throws Exception {
        snapshot = ProfiledJvmDumps.defaultJvm();
    }

    @Test
    void jsonInstanceCountsEqualJcmdsForEveryClassBothSee() throws Exception {
        AnalyzeProcess run =
                AnalyzeProcess.run("--json", "--top", "100000", snapshot.plain().toString());
        assertThat(run.status()).as(run.err()).isZero();
        HeapSummary summary = new ObjectMapper().readValue(run.out(), HeapSummary.class);
        Map<String, JcmdHistogram.Row> jcmd = snapshot.histogram().rows();

        Map<String, Long> compared =
                summary.topClasses().stream()
                        .filter(c -> jcmd.containsKey(c.className()))
                        .filter(c -> !c.className().equals(CLASS_CLASS))
                        .collect(Collectors.toMap(ClassStat::className, ClassStat::instances));
        Map<String, String> differences =
                compared.entrySet().stream()
                        .filter(e -> e.getValue() != jcmd.get(e.getKey()).instances())
                        .collect(
                                Collectors.toMap(
                                        Map.Entry::getKey,
                                        e ->
                                                "analyze "
                                                        + e.getValue()
                                                        + ", jcmd "
                                                        + jcmd.get(e.getKey()).instances()));
        assertThat(differences).as("instance counts that differ").isEmpty();
        // Not a vacuous match: jcmd's top classes are all among those compared.
        for (JcmdHistogram.Row row : snapshot.histogram().top(20)) {
            if (!row.className().equals(CLASS_CLASS)) {
                assertThat(compared).as(row.className()).containsKey(row.className());
            }
        }
        assertThat(compared).hasSizeGreaterThan(100);
    }

    @Test
    void textListsJcmdsTopClassesWithTheirInstanceCounts() throws Exception {
        AnalyzeProcess run = AnalyzeProcess.run(snapshot.plain().toString());
        assertThat(run.status()).as(run.err()).isZero();
        for (JcmdHistogram.Row row : snapshot.histogram().top(10)) {
            if (!row.className().equals(CLASS_CLASS)) {
                String count = String.format(Locale.ROOT, "%,d", row.instances());
                assertThat(run.out().lines())
                        .as(row.className())
                        .anyMatch(
                                line ->
                                        line.endsWith("  " + row.className())
                                                && line.contains(" " + count + "  "));
            }
        }
    }
}
