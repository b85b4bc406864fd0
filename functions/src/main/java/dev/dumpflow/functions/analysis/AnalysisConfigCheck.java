package dev.dumpflow.functions.analysis;

import dev.dumpflow.analysis.AnalysisSettings;

/**
 * Turns the configuration into the analysis's settings, rejecting values no JVM could have with a
 * message that names the property and the accepted values.
 */
final class AnalysisConfigCheck {

    private AnalysisConfigCheck() {}

    static AnalysisSettings settings(AnalysisConfig config) {
        try {
            return new AnalysisSettings(
                    config.topClasses(),
                    config.largestArrays(),
                    config.referenceSize(),
                    config.objectHeaderSize(),
                    config.arrayHeaderSize(),
                    config.alignment());
        } catch (IllegalArgumentException e) {
            // The settings name the element; the operator sets the property.
            throw new IllegalArgumentException("dumpflow.analysis." + e.getMessage(), e);
        }
    }
}
