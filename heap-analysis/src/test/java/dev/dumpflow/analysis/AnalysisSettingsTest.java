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
        assertThat(settings.memoryBudget())
                .isEqualTo(Math.min(4L << 30, Runtime.getRuntime().maxMemory() / 4));
    }

    @Test
    void sharesAQuarterOfTheMaxHeapAmongConcurrentAnalyses() {
        long quarter = Runtime.getRuntime().maxMemory() / 4;
        assertThat(AnalysisSettings.defaultMemoryBudget(2))
                .isEqualTo(Math.min(4L << 30, quarter / 2));
    }

    @Test
    void rejectsAMemoryBudgetBelowOneMiBOrAboveHalfTheMaxHeap() {
        assertThatThrownBy(() -> AnalysisSettings.defaults().withMemoryBudget(1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("memory-budget is 1000 bytes; it must be from 1048576");
        long tooMuch = AnalysisSettings.largestMemoryBudget() + 1;
        assertThatThrownBy(() -> AnalysisSettings.defaults().withMemoryBudget(tooMuch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the smaller of 4 GiB and half the max heap");
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
                                        OptionalInt.empty(),
                                        AnalysisSettings.SMALLEST_MEMORY_BUDGET))
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
