package dev.dumpflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AnalysisSettingsTest {

    @Test
    void defaultsToTwentyClassesFiveArraysAndAnInferredLayout() {
        AnalysisSettings settings = AnalysisSettings.defaults();
        assertThat(settings.topClasses()).isEqualTo(20);
        assertThat(settings.largestArrays()).isEqualTo(5);
        assertThat(settings.referenceSize()).isEmpty();
        assertThat(settings.alignment()).isEmpty();
    }

    @Test
    void rejectsAReferenceSizeNoJvmHasNamingTheElementAndTheAcceptedValues() {
        assertThatThrownBy(
                        () ->
                                new AnalysisSettings(
                                        20,
                                        5,
                                        OptionalInt.of(6),
                                        OptionalInt.empty(),
                                        OptionalInt.empty(),
                                        OptionalInt.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reference-size is 6; it must be one of [4, 8]");
    }

    @Test
    void rejectsListingNoClasses() {
        assertThatThrownBy(() -> AnalysisSettings.defaults().withTopClasses(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("top-classes is 0; it must be a positive number");
    }
}
