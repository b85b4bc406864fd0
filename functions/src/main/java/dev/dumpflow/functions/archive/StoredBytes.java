package dev.dumpflow.functions.archive;

import dev.dumpflow.analysis.redact.RedactingInputStream;
import dev.dumpflow.analysis.redact.RedactionMode;
import dev.dumpflow.events.DumpFormat;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * What the archive stores of a dump: the bytes as fetched, or under a redaction policy their
 * redacted rewrite, streamed (gunzipped first for {@code hprof-gz}; {@link GZIPInputStream} reads
 * the multi-member gzip that {@code jcmd GC.heap_dump -gz} writes).
 *
 * <p>A read that fails because the fetch failed rethrows that failure (retried, or refused as a
 * changed file); any other failure of gunzip or the redactor means the content cannot be redacted,
 * and is {@link UnredactableDump}, as is a gzip that expands past its bound (a gzip bomb would
 * otherwise hold an archive slot for as long as it expands). At the end, what gzip left unread
 * (trailing bytes) is still read from the sidecar, so the original's size, checksum and kept copy
 * cover every byte.
 */
final class StoredBytes extends InputStream {

    private static final int GZIP_BUFFER = 64 * 1024;

    private final RawBody raw;
    private final DumpFormat format;
    private final RedactionMode mode;
    private final String dumpId;
    private final long maxBytes;
    private InputStream redacted;
    private long produced;

    private StoredBytes(
            RawBody raw, DumpFormat format, RedactionMode mode, String dumpId, long maxBytes) {
        this.raw = raw;
        this.format = format;
        this.mode = mode;
        this.dumpId = dumpId;
        this.maxBytes = maxBytes;
    }

    /** Whether a dump of this format can be redacted at all. */
    static boolean redactable(DumpFormat format) {
        return format == DumpFormat.HPROF || format == DumpFormat.HPROF_GZ;
    }

    /** The format the stored bytes have: a redacted gzip dump is stored as plain HPROF. */
    static DumpFormat storedFormat(DumpFormat fetched, RedactionMode mode) {
        return mode != RedactionMode.NONE && fetched == DumpFormat.HPROF_GZ
                ? DumpFormat.HPROF
                : fetched;
    }

    /**
     * The bytes to store: {@code raw} itself when nothing is redacted.
     *
     * @param maxBytes the most bytes gunzip may produce ({@link ArchivePlan#maxStoredBytes()});
     *     past it the dump is {@link UnredactableDump}
     */
    static InputStream of(
            RawBody raw, DumpFormat format, RedactionMode mode, String dumpId, long maxBytes) {
        if (mode == RedactionMode.NONE) {
            return raw;
        }
        if (!redactable(format)) {
            throw new IllegalArgumentException(format.wire() + " cannot be redacted");
        }
        return new StoredBytes(raw, format, mode, dumpId, maxBytes);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            if (redacted == null) {
                // Opened on the first read: GZIPInputStream reads the gzip header at once.
                InputStream plain =
                        format == DumpFormat.HPROF_GZ ? new GZIPInputStream(raw, GZIP_BUFFER) : raw;
                redacted = RedactingInputStream.of(plain, mode);
            }
            int n = redacted.read(buffer, offset, length);
            if (n < 0) {
                raw.readToEnd();
                return n;
            }
            // The redactor rewrites in place: what it gives is what gunzip gave.
            produced += n;
            if (produced > maxBytes) {
                throw new UnredactableDump(
                        ("dump %s expands past %d bytes when gunzipped, after %d bytes of gzip:"
                                        + " more than dumpflow.redaction.max-expansion times its"
                                        + " announced size")
                                .formatted(dumpId, maxBytes, raw.bytesRead()),
                        null);
            }
            return n;
        } catch (IOException e) {
            if (raw.failed() || e instanceof UnredactableDump) {
                throw e;
            }
            throw new UnredactableDump(
                    "dump %s cannot be redacted as %s: %s%s"
                            .formatted(
                                    dumpId,
                                    mode.wire(),
                                    format == DumpFormat.HPROF_GZ ? "gzip or HPROF: " : "",
                                    e.getMessage()),
                    e);
        }
    }
}
