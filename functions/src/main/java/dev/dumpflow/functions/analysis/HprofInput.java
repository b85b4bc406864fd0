package dev.dumpflow.functions.analysis;

import java.io.IOException;
import java.io.InputStream;

/**
 * Big-endian reads over one large buffer, refilled from the stream as the parse moves on. Reads
 * decode bytes by hand so that the hot path allocates nothing; a read past the end of the stream
 * throws {@link HprofFormatException}, because to a parser a short file is a content problem.
 */
final class HprofInput {

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;
    private long base;

    HprofInput(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[bufferSize];
    }

    /** The offset of the next unread byte from the start of the (decompressed) dump. */
    long offset() {
        return base + pos;
    }

    /** Whether the stream has ended exactly here, with no byte left. */
    boolean atEnd() throws IOException {
        return pos == limit && !fill(1);
    }

    /** Makes {@code n} bytes available at {@link #pos}, or throws when the dump ends first. */
    void need(int n) throws IOException {
        if (limit - pos < n && !fill(n)) {
            throw HprofFormatException.endedAt(offset());
        }
    }

    private boolean fill(int n) throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            base += pos;
            limit -= pos;
            pos = 0;
        }
        while (limit < n) {
            int read = in.read(buf, limit, buf.length - limit);
            if (read < 0) {
                return false;
            }
            limit += read;
        }
        return true;
    }

    int u1() throws IOException {
        need(1);
        return buf[pos++] & 0xff;
    }

    int u2() throws IOException {
        need(2);
        int p = pos;
        pos = p + 2;
        return (buf[p] & 0xff) << 8 | buf[p + 1] & 0xff;
    }

    /** An unsigned 4-byte value. */
    long u4() throws IOException {
        return s4() & 0xffffffffL;
    }

    int s4() throws IOException {
        need(4);
        int p = pos;
        pos = p + 4;
        return (buf[p] & 0xff) << 24
                | (buf[p + 1] & 0xff) << 16
                | (buf[p + 2] & 0xff) << 8
                | buf[p + 3] & 0xff;
    }

    long u8() throws IOException {
        long high = u4();
        return high << 32 | u4();
    }

    /** An identifier of {@code idSize} bytes (4 or 8), unsigned. */
    long id(int idSize) throws IOException {
        return idSize == 8 ? u8() : u4();
    }

    byte[] bytes(int n) throws IOException {
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            need(1);
            int chunk = Math.min(n - done, limit - pos);
            System.arraycopy(buf, pos, out, done, chunk);
            pos += chunk;
            done += chunk;
        }
        return out;
    }

    /** Passes over {@code n} bytes, reading them (the stream is a pipe: it cannot seek). */
    void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            int available = limit - pos;
            if (available == 0) {
                need(1);
                available = limit - pos;
            }
            int step = (int) Math.min(left, available);
            pos += step;
            left -= step;
        }
    }
}
