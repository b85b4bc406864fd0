package dev.dumpflow.functions.analysis;

import dev.dumpflow.functions.archive.ArchiveConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.time.Duration;
import java.util.Map;

/**
 * Real {@link AnalysisConfig} and {@link ArchiveConfig} mappings, built by SmallRye Config from the
 * given properties, with the converters Quarkus registers for {@link MemorySize} and {@link
 * Duration}.
 */
final class AnalysisConfigs {

    private AnalysisConfigs() {}

    static AnalysisConfig defaults() {
        return of(Map.of());
    }

    static AnalysisConfig of(Map<String, String> properties) {
        return config(properties).getConfigMapping(AnalysisConfig.class);
    }

    /** The archive's analyzer under these properties, as the functions build it. */
    static ConfiguredHprofAnalyzer analyzer(Map<String, String> properties) {
        SmallRyeConfig config = config(properties);
        return new ConfiguredHprofAnalyzer(
                config.getConfigMapping(AnalysisConfig.class),
                config.getConfigMapping(ArchiveConfig.class));
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(AnalysisConfig.class)
                .withMapping(ArchiveConfig.class)
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new MapBackedConfigSource("test", properties, 500) {})
                .build();
    }
}
