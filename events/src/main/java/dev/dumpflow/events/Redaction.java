package dev.dumpflow.events;

import java.util.Set;

/**
 * How a dump was redacted before it was stored: absent from a record ({@code null}) when it was
 * stored as fetched, so a record that has it always names a rewrite. Its {@code sha256} is then the
 * SHA-256 of the redacted bytes that were stored, and {@code originalSha256} that of the bytes as
 * the sidecar served them.
 *
 * @param mode {@code strings} (the contents of every {@code char[]} and {@code byte[]} zeroed) or
 *     {@code primitives} (every primitive array and primitive field zeroed); never {@code none}
 * @param originalSha256 SHA-256 of the dump as fetched (of the gzip file for {@code hprof-gz}),
 *     lower-case hex
 * @param originalKept whether the original is kept, zstd-compressed, under {@link
 *     StorageLayout#RAW_PREFIX} until its lifecycle rule expires it
 */
public record Redaction(String mode, String originalSha256, boolean originalKept) {

    /** The modes a stored dump can have been redacted with. */
    public static final Set<String> MODES = Set.of("strings", "primitives");

    public Redaction {
        Checks.nonBlank(mode, "mode");
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException(
                    "redaction mode must be strings or primitives (a dump stored as fetched has"
                            + " no redaction), was "
                            + Checks.quoted(mode));
        }
        Checks.sha256(originalSha256);
    }
}
