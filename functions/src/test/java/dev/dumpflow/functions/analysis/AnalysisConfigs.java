package dev.dumpflow.functions.analysis;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.Map;

/** Real {@link AnalysisConfig} mappings, built by SmallRye Config from the given properties. */
final class AnalysisConfigs {

    private AnalysisConfigs() {}

    static AnalysisConfig defaults() {
        return of(Map.of());
    }

    static AnalysisConfig of(Map<String, String> properties) {
        SmallRyeConfig config =
                new SmallRyeConfigBuilder()
                        .withMapping(AnalysisConfig.class)
                        .withSources(new MapBackedConfigSource("test", properties, 500) {})
                        .build();
        return config.getConfigMapping(AnalysisConfig.class);
    }
}
