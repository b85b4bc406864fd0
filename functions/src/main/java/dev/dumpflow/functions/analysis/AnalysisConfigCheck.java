package dev.dumpflow.functions.analysis;

import dev.dumpflow.analysis.AnalysisSettings;
import io.quarkus.runtime.configuration.MemorySize;

/**
 * Turns the configuration into the analysis's settings, rejecting values no JVM could have with a
 * message that names the property and the accepted values.
 */
final class AnalysisConfigCheck {

    private AnalysisConfigCheck() {}

    /**
     * The settings of {@code dumpflow.analysis.*}, the memory budget shared by {@code
     * concurrentAnalyses} when it is not set.
     */
    static AnalysisSettings settings(AnalysisConfig config, int concurrentAnalyses) {
        long memoryBudget =
                config.memoryBudget()
                        .map(MemorySize::asLongValue)
                        .orElse(AnalysisSettings.defaultMemoryBudget(concurrentAnalyses));
        try {
            return new AnalysisSettings(
                    config.topClasses(),
                    config.largestArrays(),
                    config.referenceSize(),
                    config.objectHeaderSize(),
                    config.arrayHeaderSize(),
                    config.alignment(),
                    memoryBudget);
        } catch (IllegalArgumentException e) {
            // The settings name the element; the operator sets the property.
            throw new IllegalArgumentException("dumpflow.analysis." + e.getMessage(), e);
        }
    }
}
