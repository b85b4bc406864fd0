package dev.dumpflow.analysis;

import dev.dumpflow.events.DumpFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Summarises an HPROF dump (plain or gzipped) in one streaming pass: a class histogram with shallow
 * sizes as the JVM counts them, the largest arrays and the GC roots. Memory grows with the number
 * of classes and strings, never with the number of objects, and never past the settings' memory
 * budget: a dump that needs more is summarised up to the cap it reaches (see {@link AnalysisCap}).
 */
public final class HprofAnalyzer implements DumpAnalyzer {

    private static final int BUFFER_BYTES = 1 << 20;
    private static final int GZIP_BUFFER_BYTES = 1 << 16;
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private final AnalysisSettings settings;

    public HprofAnalyzer(AnalysisSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** HPROF and gzipped HPROF. */
    @Override
    public boolean supports(DumpFormat format) {
        return format == DumpFormat.HPROF || format == DumpFormat.HPROF_GZ;
    }

    @Override
    public Optional<HeapAnalysis> analyze(InputStream raw, DumpFormat format) throws IOException {
        SourceGuard source = new SourceGuard(raw);
        HeapCensus census =
                new HeapCensus(
                        settings.largestArrays() * 2, new MemoryBudget(settings.memoryBudget()));
        int idSize = 0;
        HprofInput input = null;
        String problem;
        try {
            input = new HprofInput(content(source), BUFFER_BYTES);
            HprofParser parser = new HprofParser(input, census);
            idSize = parser.readHeader();
            problem = parser.readRecords();
        } catch (HprofFormatException e) {
            problem = e.getMessage();
        } catch (MemoryBudget.CapReached e) {
            // The rest is drained unparsed below: the archive's copy goes on at full speed.
            problem = e.getMessage() + "; the parse stopped at byte " + input.offset();
        } catch (RuntimeException e) {
            // Values no check foresaw (a corrupt length, say) must not fail the archive: the
            // reason names the failure, so the partial figures are still flagged and explained.
            problem = "the dump could not be parsed further: " + e;
        } catch (IOException e) {
            if (source.failure() != null) {
                throw source.failure();
            }
            // Only the gzip layer can fail here: the compressed content is corrupt or cut off.
            problem = "the gzip stream is corrupt or cut off: " + e.getMessage();
        }
        source.drain();
        if (idSize == 0) {
            return Optional.empty();
        }
        var layout = LayoutInference.infer(idSize, census.evidence, settings);
        var assembler = new SummaryAssembler(settings.topClasses(), settings.largestArrays());
        return Optional.of(assembler.summarize(census, layout, problem));
    }

    /**
     * The dump's HPROF bytes: gunzipped when the stream starts with the gzip magic, whatever the
     * declared format, since a mislabelled file should still be read.
     */
    private static InputStream content(InputStream source) throws IOException {
        PushbackInputStream in = new PushbackInputStream(source, 2);
        int first = in.read();
        int second = first < 0 ? -1 : in.read();
        if (second >= 0) {
            in.unread(second);
        }
        if (first >= 0) {
            in.unread(first);
        }
        boolean gzip = first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2;
        return gzip ? new GZIPInputStream(in, GZIP_BUFFER_BYTES) : in;
    }
}
