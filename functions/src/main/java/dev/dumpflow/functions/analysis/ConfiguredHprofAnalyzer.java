package dev.dumpflow.functions.analysis;

import dev.dumpflow.analysis.AnalysisSettings;
import dev.dumpflow.analysis.DumpAnalyzer;
import dev.dumpflow.analysis.HeapAnalysis;
import dev.dumpflow.analysis.HprofAnalyzer;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.functions.archive.ArchiveConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The archive's HPROF analyzer: the heap-analysis module's {@link HprofAnalyzer} with the settings
 * of {@code dumpflow.analysis.*}, answering for no format when analysis is turned off. Unless
 * configured, its memory budget is a quarter of the max heap shared by the archives that may run at
 * once ({@code dumpflow.archive.max-concurrent}), since each runs its own analysis.
 */
@ApplicationScoped
public class ConfiguredHprofAnalyzer implements DumpAnalyzer {

    private final boolean enabled;
    private final AnalysisSettings settings;
    private final HprofAnalyzer analyzer;

    @Inject
    public ConfiguredHprofAnalyzer(AnalysisConfig config, ArchiveConfig archive) {
        this.settings = AnalysisConfigCheck.settings(config, archive.archive().maxConcurrent());
        this.analyzer = new HprofAnalyzer(settings);
        this.enabled = config.enabled();
    }

    /** The settings every analysis runs with. */
    AnalysisSettings settings() {
        return settings;
    }

    /** HPROF and gzipped HPROF, unless analysis is turned off. */
    @Override
    public boolean supports(DumpFormat format) {
        return enabled && analyzer.supports(format);
    }

    @Override
    public Optional<HeapAnalysis> analyze(InputStream raw, DumpFormat format) throws IOException {
        return analyzer.analyze(raw, format);
    }
}
