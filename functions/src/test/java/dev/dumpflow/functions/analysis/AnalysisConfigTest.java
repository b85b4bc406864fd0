package dev.dumpflow.functions.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dumpflow.analysis.AnalysisSettings;
import dev.dumpflow.events.DumpFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalysisConfigTest {

    @Test
    void defaultsToTwentyClassesAndFiveArrays() {
        AnalysisConfig config = AnalysisConfigs.defaults();
        assertThat(config.enabled()).isTrue();
        assertThat(config.topClasses()).isEqualTo(20);
        assertThat(config.largestArrays()).isEqualTo(5);
        assertThat(config.referenceSize()).isEmpty();
        assertThat(config.memoryBudget()).isEmpty();
    }

    @Test
    void theDefaultMemoryBudgetIsAQuarterOfTheHeapSharedByTheConcurrentArchives() {
        long quarter = Runtime.getRuntime().maxMemory() / 4;
        assertThat(settings(Map.of()).memoryBudget()).isEqualTo(Math.min(4L << 30, quarter / 2));
        assertThat(settings(Map.of("dumpflow.archive.max-concurrent", "4")).memoryBudget())
                .isEqualTo(Math.min(4L << 30, quarter / 4));
    }

    @Test
    void takesAMemoryBudgetAsAMemorySize() {
        assertThat(settings(Map.of("dumpflow.analysis.memory-budget", "32M")).memoryBudget())
                .isEqualTo(32L << 20);
    }

    @Test
    void rejectsAMemoryBudgetBelowOneMiBNamingTheProperty() {
        assertThatThrownBy(
                        () ->
                                AnalysisConfigs.analyzer(
                                        Map.of("dumpflow.analysis.memory-budget", "512K")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dumpflow.analysis.memory-budget is 524288 bytes");
    }

    private static AnalysisSettings settings(Map<String, String> properties) {
        return AnalysisConfigs.analyzer(properties).settings();
    }

    @Test
    void rejectsAReferenceSizeNoJvmHasNamingTheProperty() {
        assertThatThrownBy(
                        () ->
                                AnalysisConfigs.analyzer(
                                        Map.of("dumpflow.analysis.reference-size", "6")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dumpflow.analysis.reference-size is 6")
                .hasMessageContaining("[4, 8]");
    }

    @Test
    void supportsOnlyHprofAndOnlyWhenEnabled() {
        ConfiguredHprofAnalyzer on = AnalysisConfigs.analyzer(Map.of());
        assertThat(on.supports(DumpFormat.HPROF)).isTrue();
        assertThat(on.supports(DumpFormat.HPROF_GZ)).isTrue();
        assertThat(on.supports(DumpFormat.DOTNET)).isFalse();
        ConfiguredHprofAnalyzer off =
                AnalysisConfigs.analyzer(Map.of("dumpflow.analysis.enabled", "false"));
        assertThat(off.supports(DumpFormat.HPROF)).isFalse();
    }
}
