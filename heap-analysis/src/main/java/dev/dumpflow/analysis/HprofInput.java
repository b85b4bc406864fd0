package dev.dumpflow.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian reads over one large buffer, refilled from the stream as the parse moves on. Reads
 * decode bytes by hand so that the hot path allocates nothing; a read past the end of the stream
 * throws {@link HprofFormatException}, because to a parser a short file is a content problem.
 */
final class HprofInput {

    private static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

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
        return rawS4();
    }

    long u8() throws IOException {
        need(8);
        long value = (long) LONG.get(buf, pos);
        pos += 8;
        return value;
    }

    /** An identifier of {@code idSize} bytes (4 or 8), unsigned. */
    long id(int idSize) throws IOException {
        need(idSize);
        return rawId(idSize);
    }

    // The raw reads skip the availability check: call them only for bytes a need() covered, so
    // that a record's fixed part costs one check instead of one per field.

    int rawS4() {
        int value = (int) INT.get(buf, pos);
        pos += 4;
        return value;
    }

    long rawU4() {
        return rawS4() & 0xffffffffL;
    }

    long rawId(int idSize) {
        if (idSize == 8) {
            long value = (long) LONG.get(buf, pos);
            pos += 8;
            return value;
        }
        return rawU4();
    }

    void rawSkip(int n) {
        pos += n;
    }

    /** Reads the next {@code n} bytes into the start of {@code out}. */
    void read(byte[] out, int n) throws IOException {
        int done = 0;
        while (done < n) {
            need(1);
            int chunk = Math.min(n - done, limit - pos);
            System.arraycopy(buf, pos, out, done, chunk);
            pos += chunk;
            done += chunk;
        }
    }

    /** Passes over {@code n} bytes, reading them (the stream is a pipe: it cannot seek). */
    void skip(long n) throws IOException {
        if (limit - pos >= n) {
            pos += (int) n;
            return;
        }
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
