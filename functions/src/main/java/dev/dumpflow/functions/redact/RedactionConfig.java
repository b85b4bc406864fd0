package dev.dumpflow.functions.redact;

import dev.dumpflow.analysis.redact.RedactionMode;
import dev.dumpflow.functions.archive.PositiveIntConverter;
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

    /**
     * How many times its announced size a gzip dump ({@code hprof-gz}) may expand when it is
     * gunzipped to be redacted; past it, the dump is refused as unredactable. gzip can expand about
     * a thousandfold, so without a bound a small dump of a valid HPROF full of zeroes would hold an
     * archive slot for hours. At {@code jcmd -gz=1}'s level a real heap expands about 3 times and
     * zeroes 229 times: only a heap of over 96 % zeroes goes past 64.
     */
    @WithDefault("64")
    @WithConverter(PositiveIntConverter.class)
    int maxExpansion();
}
