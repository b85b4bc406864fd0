package dev.dumpflow.functions.analysis;

import dev.dumpflow.analysis.DumpAnalyzer;
import dev.dumpflow.analysis.HeapAnalysis;
import dev.dumpflow.analysis.HprofAnalyzer;
import dev.dumpflow.events.DumpFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The archive's HPROF analyzer: the heap-analysis module's {@link HprofAnalyzer} with the settings
 * of {@code dumpflow.analysis.*}, answering for no format when analysis is turned off.
 */
@ApplicationScoped
public class ConfiguredHprofAnalyzer implements DumpAnalyzer {

    private final boolean enabled;
    private final HprofAnalyzer analyzer;

    @Inject
    public ConfiguredHprofAnalyzer(AnalysisConfig config) {
        this.analyzer = new HprofAnalyzer(AnalysisConfigCheck.settings(config));
        this.enabled = config.enabled();
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
