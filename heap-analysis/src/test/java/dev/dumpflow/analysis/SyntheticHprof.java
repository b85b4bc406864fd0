package dev.dumpflow.analysis;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes HPROF byte by byte as the format specifies, for records a test needs that real JVMs rarely
 * write (Android tags, 4-byte ids, several heap dumps in one file).
 */
final class SyntheticHprof {

    private final int idSize;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);
    private ByteArrayOutputStream heapBytes;
    private DataOutputStream heap;

    SyntheticHprof(int idSize) {
        this.idSize = idSize;
        run(
                () -> {
                    out.write("JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.US_ASCII));
                    out.writeInt(idSize);
                    out.writeLong(0);
                });
    }

    SyntheticHprof utf8(long id, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return record(
                0x01,
                idSize + utf8.length,
                () -> {
                    id(out, id);
                    out.write(utf8);
                });
    }

    SyntheticHprof loadClass(long classId, long nameId) {
        return record(
                0x02,
                8 + 2 * idSize,
                () -> {
                    out.writeInt(1);
                    id(out, classId);
                    out.writeInt(0);
                    id(out, nameId);
                });
    }

    /** Starts a heap dump record: 0x0C for a whole dump, 0x1C for a segment. */
    SyntheticHprof beginHeap() {
        heapBytes = new ByteArrayOutputStream();
        heap = new DataOutputStream(heapBytes);
        return this;
    }

    SyntheticHprof endHeap(int tag) {
        byte[] body = heapBytes.toByteArray();
        return record(tag, body.length, () -> out.write(body));
    }

    SyntheticHprof heapDumpEnd() {
        return record(0x2c, 0, () -> {});
    }

    /** A class with instance fields of the given HPROF types, no statics. */
    SyntheticHprof classDump(long classId, long superId, byte... fieldTypes) {
        return sub(
                () -> {
                    heap.writeByte(0x20);
                    id(heap, classId);
                    heap.writeInt(0);
                    id(heap, superId);
                    for (int i = 0; i < 5; i++) {
                        id(heap, 0);
                    }
                    heap.writeInt(0);
                    heap.writeShort(0);
                    heap.writeShort(0);
                    heap.writeShort(fieldTypes.length);
                    for (byte type : fieldTypes) {
                        id(heap, 0x1000 + type);
                        heap.writeByte(type);
                    }
                });
    }

    SyntheticHprof instance(long address, long classId, int fieldBytes) {
        return sub(
                () -> {
                    heap.writeByte(0x21);
                    id(heap, address);
                    heap.writeInt(0);
                    id(heap, classId);
                    heap.writeInt(fieldBytes);
                    heap.write(new byte[fieldBytes]);
                });
    }

    SyntheticHprof primitiveArray(long address, int type, int length, boolean withData) {
        return sub(
                () -> {
                    heap.writeByte(withData ? 0x23 : 0xc3);
                    id(heap, address);
                    heap.writeInt(0);
                    heap.writeInt(length);
                    heap.writeByte(type);
                    if (withData) {
                        heap.write(new byte[length * HprofType.size(type, idSize)]);
                    }
                });
    }

    /** A root carrying only an object id (sticky class, Android's interned string, ...). */
    SyntheticHprof simpleRoot(int tag, long address) {
        return sub(
                () -> {
                    heap.writeByte(tag);
                    id(heap, address);
                });
    }

    /** Android's HEAP_DUMP_INFO: which heap the following objects are in. */
    SyntheticHprof heapDumpInfo(int heapType, long nameId) {
        return sub(
                () -> {
                    heap.writeByte(0xfe);
                    heap.writeInt(heapType);
                    id(heap, nameId);
                });
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    private SyntheticHprof record(int tag, int length, Body body) {
        return run(
                () -> {
                    out.writeByte(tag);
                    out.writeInt(0);
                    out.writeInt(length);
                    body.write();
                });
    }

    private SyntheticHprof sub(Body body) {
        return run(body);
    }

    private void id(DataOutputStream to, long id) throws IOException {
        if (idSize == 8) {
            to.writeLong(id);
        } else {
            to.writeInt((int) id);
        }
    }

    private SyntheticHprof run(Body body) {
        try {
            body.write();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private interface Body {
        void write() throws IOException;
    }
}
