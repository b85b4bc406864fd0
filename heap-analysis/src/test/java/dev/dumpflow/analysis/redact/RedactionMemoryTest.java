package dev.dumpflow.analysis.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The redactor streams: a 600 MB byte[] passes through it without the redactor allocating. */
class RedactionMemoryTest {

    private static final int ELEMENTS = 600_000_000;

    @Test
    void aHugeByteArrayStreamsThroughWithoutAllocation() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] buffer = new byte[256 * 1024];
        long zeroed = 0;
        long total = 0;
        try (InputStream in =
                RedactingInputStream.of(new OneHugeArray(ELEMENTS), RedactionMode.STRINGS)) {
            // The source hands out the header and the array's head in its first read.
            total += in.read(buffer, 0, buffer.length);
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            for (int n; (n = in.read(buffer, 0, buffer.length)) >= 0; ) {
                total += n;
                zeroed += zeros(buffer, n);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

            assertThat(allocated).isLessThan(64 * 1024);
        }
        assertThat(total).isEqualTo(OneHugeArray.HEAD + ELEMENTS);
        assertThat(zeroed).isEqualTo(ELEMENTS);
    }

    private static long zeros(byte[] b, int n) {
        long count = 0;
        for (int i = 0; i < n; i++) {
            count += b[i] == 0 ? 1 : 0;
        }
        return count;
    }

    /** An HPROF holding one byte[] of non-zero elements, made up as it is read. */
    private static final class OneHugeArray extends InputStream {

        static final int HEAD = 19 + 4 + 8 + 9 + 1 + 8 + 4 + 4 + 1;

        private final byte[] head;
        private final byte[] filler = new byte[256 * 1024];
        private final long length;
        private long position;

        OneHugeArray(int elements) {
            ByteBuffer h = ByteBuffer.allocate(HEAD);
            h.put("JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.US_ASCII)).putInt(8).putLong(0);
            h.put((byte) 0x1c).putInt(0).putInt(1 + 8 + 4 + 4 + 1 + elements);
            h.put((byte) 0x23).putLong(0x1000).putInt(0).putInt(elements).put((byte) 8);
            head = h.array();
            Arrays.fill(filler, (byte) 0x5a);
            length = HEAD + (long) elements;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            if (position < HEAD) {
                n = Math.min(n, HEAD - (int) position);
                System.arraycopy(head, (int) position, b, off, n);
            } else {
                n = Math.min(n, filler.length);
                System.arraycopy(filler, 0, b, off, n);
            }
            position += n;
            return n;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }
    }
}
