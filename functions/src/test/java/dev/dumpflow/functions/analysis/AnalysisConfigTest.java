package dev.dumpflow.functions.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    }

    @Test
    void rejectsAReferenceSizeNoJvmHasNamingTheProperty() {
        assertThatThrownBy(
                        () ->
                                new ConfiguredHprofAnalyzer(
                                        AnalysisConfigs.of(
                                                Map.of("dumpflow.analysis.reference-size", "6"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dumpflow.analysis.reference-size is 6")
                .hasMessageContaining("[4, 8]");
    }

    @Test
    void supportsOnlyHprofAndOnlyWhenEnabled() {
        ConfiguredHprofAnalyzer on = new ConfiguredHprofAnalyzer(AnalysisConfigs.defaults());
        assertThat(on.supports(DumpFormat.HPROF)).isTrue();
        assertThat(on.supports(DumpFormat.HPROF_GZ)).isTrue();
        assertThat(on.supports(DumpFormat.DOTNET)).isFalse();
        ConfiguredHprofAnalyzer off =
                new ConfiguredHprofAnalyzer(
                        AnalysisConfigs.of(Map.of("dumpflow.analysis.enabled", "false")));
        assertThat(off.supports(DumpFormat.HPROF)).isFalse();
    }
}
