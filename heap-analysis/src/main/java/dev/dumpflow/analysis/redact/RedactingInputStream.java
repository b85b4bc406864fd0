package dev.dumpflow.analysis.redact;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Reads a plain (uncompressed) HPROF heap dump and returns the same bytes with the values of a
 * {@link RedactionMode} zeroed: same length, same records, same ids and references. Pull-based and
 * in place: each {@link #read(byte[], int, int)} reads from the wrapped stream into the caller's
 * buffer and rewrites it there, so no copy of the bulk bytes is made and memory stays bounded
 * whatever the dump's size (one small state per class for {@link RedactionMode#PRIMITIVES}).
 *
 * <p>Every record is parsed, always: input the redactor cannot parse throws {@link
 * UnredactableException}, and so does every later read, so that no unredacted byte past the problem
 * is ever handed out. After such an exception the caller's buffer must be discarded. Not thread
 * safe, like the streams it wraps.
 */
public final class RedactingInputStream extends FilterInputStream {

    private final HprofRewriter rewriter;
    private final byte[] single = new byte[1];

    private RedactingInputStream(InputStream in, HprofRewriter rewriter) {
        super(in);
        this.rewriter = rewriter;
    }

    /**
     * Wraps {@code hprof} so that reads return its bytes redacted by {@code mode}. {@link
     * RedactionMode#NONE} returns {@code hprof} itself, unparsed.
     */
    public static InputStream of(InputStream hprof, RedactionMode mode) {
        Objects.requireNonNull(hprof, "hprof");
        Objects.requireNonNull(mode, "mode");
        if (mode == RedactionMode.NONE) {
            return hprof;
        }
        return new RedactingInputStream(hprof, new HprofRewriter(mode));
    }

    /** Top-level records and heap dump sub-records parsed so far. */
    public long recordsSeen() {
        return rewriter.recordsSeen();
    }

    @Override
    public int read() throws IOException {
        int n = read(single, 0, 1);
        return n < 0 ? -1 : single[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        rewriter.checkHealthy();
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, len);
        if (n < 0) {
            rewriter.finish();
            return -1;
        }
        rewriter.rewrite(b, off, n);
        return n;
    }

    @Override
    public int read(byte[] b) throws IOException {
        return read(b, 0, b.length);
    }

    /**
     * Copies the rest, redacted, to {@code out}. Overridden, like {@link #read(byte[])}, so that no
     * present or future shortcut of {@link FilterInputStream} can hand out the wrapped stream's
     * bytes unread by the redactor.
     */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = read(buffer, 0, buffer.length)) >= 0; ) {
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    /** Skipped bytes are still parsed, since the records after them depend on them. */
    @Override
    public long skip(long n) throws IOException {
        byte[] discard = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        long skipped = 0;
        while (skipped < n) {
            int read = read(discard, 0, (int) Math.min(discard.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int readlimit) {
        // Not supported: re-reading bytes would run them through the parser twice.
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }
}
