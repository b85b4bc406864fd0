package dev.dumpflow.functions.redact;

import dev.dumpflow.analysis.redact.RedactionMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The redaction policy of the archive: what it zeroes in a dump before the dump is stored. */
@ConfigMapping(prefix = "dumpflow.redaction")
public interface RedactionConfig {

    /**
     * The mode for every dump: {@code none}, {@code strings} or {@code primitives}. The annotation
     * {@code dumpflow.dev/redact} on a dump's namespace or workload can make it stricter, never
     * looser: the strictest of the three wins.
     */
    @WithDefault("none")
    @WithConverter(RedactionModeConverter.class)
    RedactionMode mode();

    /**
     * How long the original of a redacted dump is kept, zstd-compressed, under {@code raw/}, for
     * break-glass access: an ISO-8601 duration such as {@code P3D}. Unset, the original is never
     * stored. The functions only write it; the bucket's lifecycle rule for {@code raw/} expires it
     * (Terraform's {@code raw_retention_days}, or with {@code dumpflow.retention.manage} the
     * functions' own rule of this many days, rounded up).
     */
    Optional<Duration> keepOriginal();
}
