package dev.dumpflow.analysis;

import java.io.IOException;
import java.util.Arrays;

/**
 * Reads the sub-records of one HEAP_DUMP or HEAP_DUMP_SEGMENT record: GC roots, class dumps,
 * instances and arrays. Objects are counted and their contents skipped; nothing is kept per object.
 */
final class HeapDumpReader {

    private static final int CLASS_DUMP = 0x20;
    private static final int INSTANCE_DUMP = 0x21;
    private static final int OBJECT_ARRAY_DUMP = 0x22;
    private static final int PRIMITIVE_ARRAY_DUMP = 0x23;
    // Android ART writes these next to the standard ones.
    private static final int PRIMITIVE_ARRAY_NODATA_DUMP = 0xc3;
    private static final int HEAP_DUMP_INFO = 0xfe;

    private final HprofInput in;
    private final int idSize;
    private final HeapCensus census;

    HeapDumpReader(HprofInput in, int idSize, HeapCensus census) {
        this.in = in;
        this.idSize = idSize;
        this.census = census;
    }

    /** Reads sub-records until the record's {@code length} bytes are consumed. */
    void read(long length) throws IOException {
        long end = in.offset() + length;
        while (in.offset() < end) {
            int tag = in.u1();
            switch (tag) {
                case INSTANCE_DUMP -> instance();
                case OBJECT_ARRAY_DUMP -> objectArray();
                case PRIMITIVE_ARRAY_DUMP -> primitiveArray(true);
                case CLASS_DUMP -> classDump();
                case PRIMITIVE_ARRAY_NODATA_DUMP -> primitiveArray(false);
                case HEAP_DUMP_INFO -> in.skip(4 + idSize);
                default -> root(tag);
            }
        }
        if (in.offset() != end) {
            throw HprofFormatException.corrupt(
                    "a heap dump sub-record crosses its record's end", end);
        }
    }

    private void instance() throws IOException {
        in.need(2 * idSize + 8);
        long address = in.rawId(idSize);
        in.rawSkip(4); // stack trace serial number
        ClassInfo type = census.catalog.byId(in.rawId(idSize));
        in.skip(in.rawU4());
        type.instances++;
        census.evidence.instance(address, type);
    }

    private void objectArray() throws IOException {
        in.need(2 * idSize + 8);
        long address = in.rawId(idSize);
        in.rawSkip(4);
        long length = in.rawU4();
        ClassInfo type = census.catalog.byId(in.rawId(idSize));
        in.skip(length * idSize);
        type.instances++;
        census.catalog.lengths(type).add(length);
        census.evidence.objectArray(address, type, length);
        census.largestArrays.objectArray(type, length);
    }

    private void primitiveArray(boolean withData) throws IOException {
        in.need(idSize + 9);
        long address = in.rawId(idSize);
        in.rawSkip(4);
        long length = in.rawU4();
        int elementType = in.u1();
        if (!HprofType.isPrimitive(elementType)) {
            throw HprofFormatException.corrupt(
                    "a primitive array of unknown type " + elementType, in.offset());
        }
        ClassInfo type = census.catalog.primitiveArray(elementType);
        if (withData) {
            in.skip(length * type.primitiveElementSize);
        }
        type.instances++;
        census.catalog.lengths(type).add(length);
        census.evidence.primitiveArray(address, type, length);
        census.largestArrays.primitiveArray(type, length);
    }

    private void classDump() throws IOException {
        ClassInfo type = census.catalog.byId(in.id(idSize));
        in.skip(4);
        long superId = in.id(idSize);
        in.skip(5L * idSize + 4); // loader, signers, protection domain, 2 reserved, instance size
        int constants = in.u2();
        for (int i = 0; i < constants; i++) {
            in.skip(2);
            in.skip(valueSize(in.u1()));
        }
        int staticCount = in.u2();
        byte[] statics = new byte[staticCount];
        int kept = 0;
        for (int i = 0; i < staticCount; i++) {
            boolean pseudo = census.catalog.isPseudoStatic(in.id(idSize));
            int staticType = in.u1();
            in.skip(valueSize(staticType));
            if (!pseudo) {
                statics[kept++] = (byte) staticType;
            }
        }
        if (kept < staticCount) {
            statics = Arrays.copyOf(statics, kept);
        }
        byte[] fields = new byte[in.u2()];
        for (int i = 0; i < fields.length; i++) {
            in.skip(idSize);
            fields[i] = (byte) in.u1();
            valueSize(fields[i]);
        }
        census.catalog.classDump(type, superId, statics, fields);
    }

    private int valueSize(int type) {
        int size = HprofType.size(type, idSize);
        if (size < 0) {
            throw HprofFormatException.corrupt("a field of unknown type " + type, in.offset());
        }
        return size;
    }

    private void root(int tag) throws IOException {
        int extra =
                switch (tag) {
                    case GcRootKinds.UNKNOWN,
                            GcRootKinds.STICKY_CLASS,
                            GcRootKinds.MONITOR_USED,
                            GcRootKinds.INTERNED_STRING,
                            GcRootKinds.FINALIZING,
                            GcRootKinds.DEBUGGER,
                            GcRootKinds.REFERENCE_CLEANUP,
                            GcRootKinds.VM_INTERNAL,
                            GcRootKinds.UNREACHABLE ->
                            0;
                    case GcRootKinds.JNI_GLOBAL -> idSize;
                    case GcRootKinds.NATIVE_STACK, GcRootKinds.THREAD_BLOCK -> 4;
                    case GcRootKinds.JNI_LOCAL,
                            GcRootKinds.JAVA_FRAME,
                            GcRootKinds.THREAD_OBJECT,
                            GcRootKinds.JNI_MONITOR ->
                            8;
                    default ->
                            throw HprofFormatException.corrupt(
                                    "an unknown heap dump sub-record 0x" + Integer.toHexString(tag),
                                    in.offset() - 1);
                };
        in.skip(idSize + extra);
        census.roots[tag]++;
    }
}
