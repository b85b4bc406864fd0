package dev.dumpflow.analysis;

import dev.dumpflow.events.DumpFormat;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads a dump's raw bytes once, as the archive streams them to the compressor, and says what
 * filled the heap. The archive runs it on its own thread over a tee of the same bytes, never a
 * second read.
 */
public interface DumpAnalyzer {

    /** Whether this analyzer understands the format. */
    boolean supports(DumpFormat format);

    /**
     * Reads {@code raw} to its end, summarises it and counts every class. A truncated or corrupt
     * dump, or one that needs more memory than the analysis may hold, gives a partial analysis
     * whose summary is flagged {@link dev.dumpflow.events.HeapSummary#truncated()}, never an
     * exception; an {@link IOException} means the stream itself failed.
     *
     * @return the summary with the full class histogram, or empty when nothing could be read at all
     */
    Optional<HeapAnalysis> analyze(InputStream raw, DumpFormat format) throws IOException;
}
