package dev.dumpflow.analysis.redact;

/** The HPROF record tags, sub-record tags and basic types the redactor knows. */
final class HprofTags {

    // Top-level records.
    static final int UTF8 = 0x01;
    static final int HEAP_DUMP = 0x0c;
    static final int HEAP_DUMP_SEGMENT = 0x1c;

    // Heap dump sub-records.
    static final int CLASS_DUMP = 0x20;
    static final int INSTANCE_DUMP = 0x21;
    static final int OBJECT_ARRAY_DUMP = 0x22;
    static final int PRIMITIVE_ARRAY_DUMP = 0x23;
    // Android ART writes these two next to the standard ones (hprof-conv keeps them).
    static final int PRIMITIVE_ARRAY_NODATA_DUMP = 0xc3;
    static final int HEAP_DUMP_INFO = 0xfe;

    // Basic types.
    static final int OBJECT = 2;
    static final int BOOLEAN = 4;
    static final int CHAR = 5;
    static final int BYTE = 8;
    static final int LONG = 11;

    private HprofTags() {}

    /**
     * Whether a top-level record of this tag is defined by the format and holds no heap values
     * (only names, class loads, stack traces, thread and profiler records), so it passes unchanged.
     */
    static boolean isPlainRecord(int tag) {
        return switch (tag) {
            // UTF8, LOAD CLASS, UNLOAD CLASS, STACK FRAME, STACK TRACE, ALLOC SITES, HEAP SUMMARY,
            // START THREAD, END THREAD, CPU SAMPLES, CONTROL SETTINGS, HEAP DUMP END.
            case 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0a, 0x0b, 0x0d, 0x0e, 0x2c -> true;
            default -> false;
        };
    }

    /**
     * The body size of a GC root sub-record after its tag, or -1 if {@code tag} is not a root.
     * HotSpot writes 0x01-0x08 and 0xff; Android's 0x89-0x8e and 0x90 survive hprof-conv.
     */
    static int rootBodySize(int tag, int idSize) {
        return switch (tag) {
            // unknown, sticky class, monitor used, and Android's interned string, finalizing,
            // debugger, reference cleanup, VM internal, unreachable: an object id.
            case 0xff, 0x05, 0x07, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x90 -> idSize;
            case 0x01 -> 2 * idSize; // JNI global: object id, JNI global ref id
            case 0x04, 0x06 -> idSize + 4; // native stack, thread block: id, thread serial
            case 0x02, 0x03, 0x08, 0x8e -> idSize + 8; // JNI local, Java frame, thread, JNI monitor
            default -> -1;
        };
    }

    /** Bytes a value of this basic type takes in the file, or -1 for an unknown type. */
    static int valueSize(int type, int idSize) {
        return switch (type) {
            case OBJECT -> idSize;
            case BOOLEAN, BYTE -> 1;
            case CHAR, 9 -> 2; // char, short
            case 6, 10 -> 4; // float, int
            case 7, LONG -> 8; // double, long
            default -> -1;
        };
    }
}
