package dev.dumpflow.analysis.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dumpflow.analysis.redact.HprofBuilder.Range;
import dev.dumpflow.analysis.redact.HprofBuilder.Values;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Set;

/** Hand-built dumps and the helpers that redact them in chunks and check the result. */
final class RedactionFixtures {

    static final byte OBJECT = 2;
    static final byte BOOLEAN = 4;
    static final byte CHAR = 5;
    static final byte FLOAT = 6;
    static final byte DOUBLE = 7;
    static final byte BYTE = 8;
    static final byte SHORT = 9;
    static final byte INT = 10;
    static final byte LONG = 11;

    static final long JAVA_LANG_OBJECT = 0x100;
    static final long BASE = 0x200;
    static final long CHILD = 0x300;
    static final long WIDE = 0x500;

    private RedactionFixtures() {}

    /**
     * Every record kind HotSpot writes: names, plain records, all GC roots, a class chain with
     * constants, statics and fields of every type, instances, arrays of every element type, two
     * heap dump segments and the end record.
     */
    static HprofBuilder everyRecordKind(int idSize) {
        return everyRecordKind(idSize, 70_000);
    }

    /** The same, with its two large arrays (past any small read buffer) of {@code largeLength}. */
    static HprofBuilder everyRecordKind(int idSize, int largeLength) {
        HprofBuilder b = new HprofBuilder(idSize);
        b.utf8(1, "java/lang/Object").utf8(2, "Secret").utf8(3, "token");
        b.plainRecord(0x02, 8 + 2 * idSize).plainRecord(0x04, 4 * idSize + 8);
        b.plainRecord(0x05, 12 + 2 * idSize).plainRecord(0x0a, 8 + 3 * idSize);
        b.beginHeap(0x1c);
        b.root(0xff, idSize).root(0x01, 2 * idSize).root(0x02, idSize + 8);
        b.root(0x03, idSize + 8).root(0x04, idSize + 4).root(0x05, idSize);
        b.root(0x06, idSize + 4).root(0x07, idSize).root(0x08, idSize + 8);
        b.classDump(JAVA_LANG_OBJECT, 0, types(), types(), types());
        b.classDump(
                BASE,
                JAVA_LANG_OBJECT,
                types(INT, DOUBLE),
                types(LONG, OBJECT, BOOLEAN),
                types(INT, OBJECT, BYTE));
        b.classDump(
                CHILD,
                BASE,
                types(),
                types(CHAR),
                types(OBJECT, LONG, DOUBLE, OBJECT, SHORT, FLOAT, BOOLEAN, CHAR));
        // Longer than the field blocks the fast path zeroes with word masks.
        b.classDump(
                WIDE,
                JAVA_LANG_OBJECT,
                types(),
                types(),
                types(LONG, LONG, LONG, LONG, OBJECT, LONG, LONG, LONG, LONG, INT));
        b.instance(0x1000, CHILD).instance(0x1010, BASE).instance(0x1020, JAVA_LANG_OBJECT);
        b.instance(0x1050, WIDE);
        for (byte type : types(CHAR, BYTE, INT, LONG, BOOLEAN, SHORT, FLOAT, DOUBLE)) {
            b.primitiveArray(0x3000 + type * 16L, type, 37 + type);
        }
        b.primitiveArray(0x3100, BYTE, 0).objectArray(0x2000, 0x400, 6);
        b.objectArray(0x2010, 0x400, 0);
        b.endHeap();
        b.beginHeap(0x1c).instance(0x1030, CHILD).primitiveArray(0x3200, BYTE, largeLength);
        b.primitiveArray(0x3300, CHAR, largeLength / 3).instance(0x1040, BASE);
        b.instance(0x1060, WIDE).instance(0x1070, CHILD).endHeap();
        b.plainRecord(0x2c, 0);
        return b;
    }

    static byte[] types(byte... types) {
        return types;
    }

    /**
     * Redacts reading at most {@code chunk} bytes per call, from a source that also reads short.
     */
    static byte[] redact(byte[] input, RedactionMode mode, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = RedactingInputStream.of(new ShortReads(input, chunk), mode)) {
            byte[] buffer = new byte[chunk + 3];
            // An offset into the buffer, so that the rewriter never assumes it starts at 0.
            for (int n; (n = in.read(buffer, 3, chunk)) >= 0; ) {
                out.write(buffer, 3, n);
            }
        }
        return out.toByteArray();
    }

    /** Fails unless {@code output} is {@code input} with exactly the ranges of {@code zeroed}. */
    static void assertRedacted(HprofBuilder dump, byte[] output, Set<Values> zeroed) {
        byte[] input = dump.bytes();
        byte[] expected = input.clone();
        int zeroedBytes = 0;
        for (Range range : dump.ranges()) {
            if (zeroed.contains(range.values())) {
                Arrays.fill(expected, range.from(), range.to(), (byte) 0);
                zeroedBytes += range.to() - range.from();
            }
        }
        assertThat(output).hasSameSizeAs(input);
        for (int i = 0; i < input.length; i++) {
            if (output[i] != expected[i]) {
                fail(
                        "byte %d is 0x%02x, expected 0x%02x (input 0x%02x)",
                        i, output[i], expected[i], input[i]);
            }
        }
        // The builder writes only non-zero values, so the zeroed ranges really changed.
        assertThat(zeroedBytes == 0 || !Arrays.equals(input, output)).isTrue();
    }

    /** Hands out at most {@code most} bytes per read, cycling through shorter reads too. */
    private static final class ShortReads extends ByteArrayInputStream {
        private final int most;
        private int turn;

        ShortReads(byte[] bytes, int most) {
            super(bytes);
            this.most = most;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int limit = Math.max(1, Math.min(len, most - (turn++ % 3)));
            return super.read(b, off, limit);
        }
    }
}
