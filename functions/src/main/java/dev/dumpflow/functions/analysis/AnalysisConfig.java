package dev.dumpflow.functions.analysis;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the archive pass analyses HPROF dumps. The layout elements are inferred from each dump's
 * object addresses; set them only for a JVM whose dumps mislead the inference.
 */
@ConfigMapping(prefix = "dumpflow.analysis")
public interface AnalysisConfig {

    /** Whether HPROF dumps are analysed while they are archived. */
    @WithDefault("true")
    boolean enabled();

    /** How many classes the summary lists, largest shallow size first. */
    @WithDefault("20")
    int topClasses();

    /** How many of the largest single arrays the summary lists. */
    @WithDefault("5")
    int largestArrays();

    /** Bytes per reference field and object-array element (4 or 8), instead of inferring it. */
    OptionalInt referenceSize();

    /** Bytes of an instance header (8, 12 or 16), instead of inferring it. */
    OptionalInt objectHeaderSize();

    /** Bytes of an array header, length included (12, 16, 20 or 24), instead of inferring it. */
    OptionalInt arrayHeaderSize();

    /** Object alignment in bytes (a power of two, 8 to 256), instead of inferring it. */
    OptionalInt alignment();

    /**
     * The most one analysis holds for the dump's strings, identifiers and classes, a Quarkus {@code
     * MemorySize} such as {@code 32M}; from 1 MiB to the smaller of 4 GiB and half the max heap.
     * Unset: a quarter of the max heap shared by {@code dumpflow.archive.max-concurrent} analyses.
     * A dump that needs more is summarised up to the cap it reaches, flagged truncated.
     */
    Optional<MemorySize> memoryBudget();
}
