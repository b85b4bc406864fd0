package dev.dumpflow.analysis.redact;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes HPROF as the format specifies, with every value non-zero, and remembers which byte ranges
 * hold which kind of value, so that a test can check a redaction byte by byte: zeroed inside the
 * ranges its mode covers, untouched everywhere else.
 */
final class HprofBuilder {

    /** What a range of value bytes holds. */
    enum Values {
        /** Elements of a char[] or byte[]. */
        STRING_ARRAY,
        /** Elements of any other primitive array. */
        OTHER_ARRAY,
        /** Primitive instance field values. */
        INSTANCE_FIELD,
        /** Primitive static field and constant pool values. */
        STATIC_FIELD
    }

    record Range(Values values, int from, int to) {}

    private final int idSize;
    private final Random random = new Random(21);
    private final List<Range> ranges = new ArrayList<>();
    private final List<Integer> recordEnds = new ArrayList<>();
    private final Map<Long, long[]> superOf = new HashMap<>();
    private final Map<Long, byte[]> fieldsOf = new HashMap<>();
    private byte[] bytes = new byte[256];
    private int size;
    private int heapLengthAt = -1;

    HprofBuilder(int idSize) {
        this.idSize = idSize;
        raw("JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.US_ASCII));
        u4(idSize);
        u8(0x0000_0190_1234_5678L);
        recordEnds.add(size);
    }

    HprofBuilder utf8(long id, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        record(0x01, idSize + utf8.length);
        id(id);
        raw(utf8);
        return endRecord();
    }

    /** A record the redactor passes unchanged (LOAD CLASS, STACK TRACE, ...) with filler bytes. */
    HprofBuilder plainRecord(int tag, int length) {
        record(tag, length);
        filler(length);
        return endRecord();
    }

    HprofBuilder beginHeap(int tag) {
        record(tag, 0);
        heapLengthAt = size - 4;
        return this;
    }

    HprofBuilder endHeap() {
        int length = size - heapLengthAt - 4;
        patchU4(heapLengthAt, length);
        heapLengthAt = -1;
        return endRecord();
    }

    /** Sets the current heap record's length as declared, for records that lie about it. */
    HprofBuilder endHeapDeclaring(int length) {
        patchU4(heapLengthAt, length);
        heapLengthAt = -1;
        return endRecord();
    }

    HprofBuilder classDump(
            long classId, long superId, byte[] constants, byte[] statics, byte[] fields) {
        superOf.put(classId, new long[] {superId});
        fieldsOf.put(classId, fields);
        u1(0x20);
        id(classId);
        u4(7);
        id(superId);
        for (int i = 0; i < 5; i++) {
            id(0x7000 + i);
        }
        u4(16 + fields.length * 8);
        u2(constants.length);
        for (int i = 0; i < constants.length; i++) {
            u2(i + 1);
            u1(constants[i]);
            value(constants[i], Values.STATIC_FIELD);
        }
        u2(statics.length);
        for (byte type : statics) {
            id(0x5000 + type);
            u1(type);
            value(type, Values.STATIC_FIELD);
        }
        u2(fields.length);
        for (byte type : fields) {
            id(0x6000 + type);
            u1(type);
        }
        return this;
    }

    /** An instance with the fields of its class chain as dumped so far, own class first. */
    HprofBuilder instance(long id, long classId) {
        List<Byte> types = new ArrayList<>();
        for (long c = classId; c != 0 && fieldsOf.containsKey(c); c = superOf.get(c)[0]) {
            for (byte type : fieldsOf.get(c)) {
                types.add(type);
            }
        }
        int length = 0;
        for (byte type : types) {
            length += size(type);
        }
        instanceHead(id, classId, length);
        for (byte type : types) {
            value(type, Values.INSTANCE_FIELD);
        }
        return this;
    }

    /** An instance with {@code length} bytes of filler fields, whatever its class says. */
    HprofBuilder instanceOfLength(long id, long classId, int length) {
        instanceHead(id, classId, length);
        filler(length);
        return this;
    }

    HprofBuilder primitiveArray(long id, int type, int length) {
        u1(0x23);
        id(id);
        u4(3);
        u4(length);
        u1(type);
        Values values = type == 5 || type == 8 ? Values.STRING_ARRAY : Values.OTHER_ARRAY;
        int from = size;
        filler(length * size((byte) type));
        ranges.add(new Range(values, from, size));
        return this;
    }

    HprofBuilder objectArray(long id, long classId, int length) {
        u1(0x22);
        id(id);
        u4(3);
        u4(length);
        id(classId);
        for (int i = 0; i < length; i++) {
            id(0x9000 + i);
        }
        return this;
    }

    /** A GC root sub-record with a body of {@code bodySize} filler bytes. */
    HprofBuilder root(int tag, int bodySize) {
        u1(tag);
        filler(bodySize);
        return this;
    }

    HprofBuilder u1(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
        return this;
    }

    byte[] bytes() {
        return Arrays.copyOf(bytes, size);
    }

    List<Range> ranges() {
        return List.copyOf(ranges);
    }

    /** Offsets where the input may end cleanly: after the header and after each record. */
    List<Integer> recordEnds() {
        return List.copyOf(recordEnds);
    }

    int idSize() {
        return idSize;
    }

    private void instanceHead(long id, long classId, int length) {
        u1(0x21);
        id(id);
        u4(5);
        id(classId);
        u4(length);
    }

    private void value(byte type, Values values) {
        if (type == 2) {
            id(0x8000 + random.nextInt(1000) * 16L);
            return;
        }
        int from = size;
        filler(size(type));
        ranges.add(new Range(values, from, size));
    }

    private int size(byte type) {
        return switch (type) {
            case 2 -> idSize;
            case 4, 8 -> 1;
            case 5, 9 -> 2;
            case 6, 10 -> 4;
            case 7, 11 -> 8;
            default -> throw new IllegalArgumentException("type " + type);
        };
    }

    private void record(int tag, int length) {
        u1(tag);
        u4(0x11);
        u4(length);
    }

    private HprofBuilder endRecord() {
        recordEnds.add(size);
        return this;
    }

    /** Non-zero bytes, so that a zeroed byte always shows. */
    private void filler(int length) {
        ensure(length);
        for (int i = 0; i < length; i++) {
            bytes[size++] = (byte) (1 + random.nextInt(255));
        }
    }

    private void id(long id) {
        if (idSize == 8) {
            u8(id);
        } else {
            u4((int) id);
        }
    }

    private void u2(int value) {
        u1(value >>> 8);
        u1(value);
    }

    private void u4(int value) {
        u2(value >>> 16);
        u2(value & 0xffff);
    }

    private void u8(long value) {
        u4((int) (value >>> 32));
        u4((int) value);
    }

    private void patchU4(int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    private void raw(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, bytes, size, data.length);
        size += data.length;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
