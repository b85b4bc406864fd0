package dev.dumpflow.functions.archive;

import dev.dumpflow.functions.FunctionFailure;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The dump's bytes as the sidecar serves them, before anything rewrites them: counted against the
 * announced size (a file that changed after its close is refused, 422), reported to the progress
 * log, and, under a redaction policy, hashed as the original and copied to the original's own
 * compressor when the original is kept.
 *
 * <p>It remembers whether it failed itself, so that a reader above it (gunzip, the redactor) can
 * tell a failing transfer or upload (retried) from content it cannot parse (refused for good).
 */
final class RawBody extends FilterInputStream {

    private final long expectedSize;
    private final String dumpId;
    private final ArchiveProgress progress;
    private final MessageDigest digest;
    private final OutputStream original;
    private long total;
    private boolean ended;
    private volatile boolean failed;

    /**
     * @param digest hashes the bytes as fetched; null when nothing rewrites them, so that the
     *     stored bytes' own hash is the original's
     * @param original receives the bytes as fetched (the kept original's compressor); null when the
     *     original is not kept
     */
    RawBody(
            InputStream in,
            long expectedSize,
            String dumpId,
            ArchiveProgress progress,
            MessageDigest digest,
            OutputStream original) {
        super(in);
        this.expectedSize = expectedSize;
        this.dumpId = dumpId;
        this.progress = progress;
        this.digest = digest;
        this.original = original;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (ended) {
            return -1;
        }
        try {
            int n = in.read(buffer, offset, length);
            if (n < 0) {
                ended = true;
                if (total != expectedSize) {
                    throw changed("ended at " + total + " bytes, shorter than", expectedSize);
                }
                return -1;
            }
            total += n;
            if (total > expectedSize) {
                throw changed("is longer than", expectedSize);
            }
            if (digest != null) {
                digest.update(buffer, offset, n);
            }
            if (original != null) {
                original.write(buffer, offset, n);
            }
            progress.read(total);
            return n;
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        // Every byte must pass through read(): counted, hashed, kept.
        byte[] sink = new byte[(int) Math.min(n, 64 * 1024)];
        int read = read(sink, 0, sink.length);
        return Math.max(0, read);
    }

    @Override
    public int available() {
        return 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /**
     * Reads what a reader above left unread (gzip's trailing bytes) so that every byte is counted,
     * hashed and kept, and checks the size.
     */
    void readToEnd() throws IOException {
        byte[] sink = new byte[64 * 1024];
        while (read(sink, 0, sink.length) >= 0) {
            // counted in read
        }
    }

    /** Whether reading from the sidecar, or writing the kept original, failed. */
    boolean failed() {
        return failed;
    }

    /** Bytes read so far. */
    long bytesRead() {
        return total;
    }

    /** SHA-256 of the bytes as fetched, lower-case hex; only when given a digest. */
    String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }

    private FunctionFailure changed(String what, long expected) {
        return FunctionFailure.unprocessable(
                "dump %s %s the %d bytes announced: the file changed after it was closed"
                        .formatted(dumpId, what, expected),
                null);
    }
}
