package dev.dumpflow.analysis;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Gzipped HPROF files an attacker would hand the archive: valid records, small on the wire, that
 * declare far more strings, identifiers or classes than a heap holds. Written as a stream, so that
 * a bomb of gigabytes never sits in the test's memory.
 */
public final class HprofBombs {

    private static final int ID_SIZE = 8;
    private static final long NAME = 1;
    private static final long FIRST_CLASS = 0x10_0000L;
    private static final long FIRST_OBJECT = 0x1_0000_0000L;
    private static final int SEGMENT_BYTES = 4 << 20;
    private static final int CLASSES_PER_SEGMENT = 1_000;

    private final DataOutputStream out;

    private HprofBombs(OutputStream out) throws IOException {
        this.out = new DataOutputStream(out);
        this.out.write("JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.US_ASCII));
        this.out.writeInt(ID_SIZE);
        this.out.writeLong(0);
    }

    /**
     * {@code count} strings of {@code bytesEach} bytes, then a class named by the first of them
     * with one instance: the strings cost their bytes only if the parser keeps them whole.
     */
    public static Path hugeStrings(Path file, int count, int bytesEach) throws IOException {
        return write(
                file,
                bomb -> {
                    byte[] text = new byte[bytesEach];
                    for (int i = 0; i < count; i++) {
                        Arrays.fill(text, (byte) ('A' + i % 26));
                        bomb.utf8(NAME + i, text);
                    }
                    bomb.loadClass(FIRST_CLASS, NAME);
                    ByteArrayOutputStream heap = new ByteArrayOutputStream();
                    DataOutputStream sub = new DataOutputStream(heap);
                    classDump(sub, FIRST_CLASS, 1);
                    instance(sub, FIRST_OBJECT, FIRST_CLASS);
                    bomb.segment(heap.toByteArray());
                });
    }

    /** {@code count} distinct strings of {@code bytesEach} bytes (at least 8). */
    public static Path manyStrings(Path file, int count, int bytesEach) throws IOException {
        return write(
                file,
                bomb -> {
                    byte[] text = new byte[bytesEach];
                    Arrays.fill(text, (byte) 'x');
                    for (int i = 0; i < count; i++) {
                        for (int digit = 0, n = i; digit < Math.min(8, bytesEach); digit++) {
                            text[digit] = (byte) ('0' + n % 10);
                            n /= 10;
                        }
                        bomb.utf8(NAME + i, text);
                    }
                });
    }

    /**
     * {@code count} classes, each loaded under one shared name of {@code nameBytes} bytes, dumped
     * with {@code fieldsPerClass} int fields and given one instance, in heap dump segments of 1,000
     * classes or about 4 MiB, each after the LOAD CLASS records of its classes.
     */
    public static Path manyClasses(Path file, int count, int nameBytes, int fieldsPerClass)
            throws IOException {
        return write(
                file,
                bomb -> {
                    byte[] name = new byte[nameBytes];
                    Arrays.fill(name, (byte) 'C');
                    bomb.utf8(NAME, name);
                    ByteArrayOutputStream heap = new ByteArrayOutputStream();
                    DataOutputStream sub = new DataOutputStream(heap);
                    for (int i = 0; i < count; i++) {
                        bomb.loadClass(FIRST_CLASS + 8L * i, NAME);
                        classDump(sub, FIRST_CLASS + 8L * i, fieldsPerClass);
                        instance(sub, FIRST_OBJECT + 64L * i, FIRST_CLASS + 8L * i);
                        if (heap.size() >= SEGMENT_BYTES
                                || i % CLASSES_PER_SEGMENT == CLASSES_PER_SEGMENT - 1
                                || i == count - 1) {
                            bomb.segment(heap.toByteArray());
                            heap.reset();
                        }
                    }
                });
    }

    private interface Content {
        void write(HprofBombs bomb) throws IOException;
    }

    private static Path write(Path file, Content content) throws IOException {
        try (OutputStream gzip =
                new GZIPOutputStream(Files.newOutputStream(file), 1 << 16) {
                    {
                        def.setLevel(Deflater.BEST_SPEED);
                    }
                }) {
            BufferedOutputStream buffered = new BufferedOutputStream(gzip, 1 << 16);
            HprofBombs bomb = new HprofBombs(buffered);
            content.write(bomb);
            bomb.record(0x2c, 0);
            buffered.flush();
        }
        return file;
    }

    private void utf8(long id, byte[] text) throws IOException {
        record(0x01, ID_SIZE + text.length);
        out.writeLong(id);
        out.write(text);
    }

    private void loadClass(long classId, long nameId) throws IOException {
        record(0x02, 8 + 2 * ID_SIZE);
        out.writeInt(1);
        out.writeLong(classId);
        out.writeInt(0);
        out.writeLong(nameId);
    }

    private void segment(byte[] subRecords) throws IOException {
        record(0x1c, subRecords.length);
        out.write(subRecords);
    }

    private void record(int tag, long length) throws IOException {
        out.writeByte(tag);
        out.writeInt(0);
        out.writeInt((int) length);
    }

    private static void classDump(DataOutputStream sub, long classId, int fields)
            throws IOException {
        sub.writeByte(0x20);
        sub.writeLong(classId);
        sub.writeInt(0);
        sub.writeLong(0); // no super class
        for (int i = 0; i < 5; i++) {
            sub.writeLong(0);
        }
        sub.writeInt(4 * fields);
        sub.writeShort(0);
        sub.writeShort(0);
        sub.writeShort(fields);
        for (int i = 0; i < fields; i++) {
            sub.writeLong(NAME);
            sub.writeByte(HprofType.INT);
        }
    }

    private static void instance(DataOutputStream sub, long address, long classId)
            throws IOException {
        sub.writeByte(0x21);
        sub.writeLong(address);
        sub.writeInt(0);
        sub.writeLong(classId);
        sub.writeInt(0);
    }
}
