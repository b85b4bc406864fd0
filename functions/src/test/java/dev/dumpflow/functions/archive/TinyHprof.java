package dev.dumpflow.functions.archive;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The smallest HPROF that tells the redaction modes apart, written as the format specifies: one
 * heap dump segment with a {@code char[]}, a {@code byte[]} and an {@code int[]} holding {@link
 * #CHARS}, {@link #BYTES} and {@link #INTS}. {@code strings} zeroes the first two, {@code
 * primitives} all three, {@code none} none.
 */
final class TinyHprof {

    static final String CHARS = "char-secret-4711";
    static final String BYTES = "byte-secret-0815";
    static final int[] INTS = {0x5ec2e7, 0x5ec2e8, 0x5ec2e9};

    private static final int CHAR = 5;
    private static final int BYTE = 8;
    private static final int INT = 10;

    private TinyHprof() {}

    static byte[] bytes() {
        try {
            ByteArrayOutputStream heap = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(heap);
            array(h, 1, CHAR, CHARS.length(), CHARS.getBytes(StandardCharsets.UTF_16BE));
            array(h, 2, BYTE, BYTES.length(), BYTES.getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream ints = new ByteArrayOutputStream();
            DataOutputStream i = new DataOutputStream(ints);
            for (int value : INTS) {
                i.writeInt(value);
            }
            array(h, 3, INT, INTS.length, ints.toByteArray());

            ByteArrayOutputStream file = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(file);
            out.write("JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(8);
            out.writeLong(0);
            out.writeByte(0x1C); // HEAP_DUMP_SEGMENT
            out.writeInt(0);
            out.writeInt(heap.size());
            heap.writeTo(out);
            out.writeByte(0x2C); // HEAP_DUMP_END
            out.writeInt(0);
            out.writeInt(0);
            return file.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void array(DataOutputStream h, long id, int type, int length, byte[] elements)
            throws IOException {
        h.writeByte(0x23); // PRIMITIVE_ARRAY_DUMP
        h.writeLong(id);
        h.writeInt(0);
        h.writeInt(length);
        h.writeByte(type);
        h.write(elements);
    }

    /** Which of the three arrays still hold their values in an uncompressed HPROF. */
    static String kept(byte[] hprof) {
        String all = new String(hprof, StandardCharsets.ISO_8859_1);
        StringBuilder kept = new StringBuilder();
        if (all.contains(
                new String(
                        CHARS.getBytes(StandardCharsets.UTF_16BE), StandardCharsets.ISO_8859_1))) {
            kept.append("char[] ");
        }
        if (all.contains(BYTES)) {
            kept.append("byte[] ");
        }
        ByteArrayOutputStream ints = new ByteArrayOutputStream();
        DataOutputStream i = new DataOutputStream(ints);
        try {
            i.writeInt(INTS[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (all.contains(new String(ints.toByteArray(), StandardCharsets.ISO_8859_1))) {
            kept.append("int[]");
        }
        return kept.toString().trim();
    }
}
