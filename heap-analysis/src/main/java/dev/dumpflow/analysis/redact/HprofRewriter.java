package dev.dumpflow.analysis.redact;

import static dev.dumpflow.analysis.redact.HprofBytes.u2;
import static dev.dumpflow.analysis.redact.HprofBytes.u4;
import static dev.dumpflow.analysis.redact.HprofBytes.u4Long;

import dev.dumpflow.analysis.redact.UnredactableException.Kind;
import java.util.Arrays;

/**
 * The redactor's incremental parser: a state machine fed with the bytes as they pass, in chunks of
 * any size. Small structures (headers, sub-record heads, field entries) are parsed where they lie,
 * or gathered in a scratch buffer when a chunk ends inside one; values are runs of bytes kept or
 * zeroed in place with {@link Arrays#fill}, so array contents cost no per-byte work.
 */
final class HprofRewriter {

    // States. Those from SUB_TAG on lie inside a heap dump record and must end within it.
    private static final int HEADER_TEXT = 0;
    private static final int HEADER_REST = 1;
    private static final int TOP = 2;
    private static final int RUN = 3;
    private static final int SUB_TAG = 4;
    private static final int CLASS_HEAD = 5;
    private static final int CONSTANT = 6;
    private static final int STATIC_COUNT = 7;
    private static final int STATIC = 8;
    private static final int FIELD_COUNT = 9;
    private static final int FIELD = 10;
    private static final int INSTANCE_HEAD = 11;
    private static final int OBJECT_ARRAY_HEAD = 12;
    private static final int PRIMITIVE_ARRAY_HEAD = 13;
    private static final int NODATA_ARRAY_HEAD = 14;

    private final RedactionMode mode;
    private final boolean zeroFields;
    private final ClassShapes shapes;

    private final byte[] scratch = new byte[80];
    private final HeaderCheck header = new HeaderCheck();
    private final WholeSubRecords whole;

    private int state = HEADER_TEXT;
    private int idSize;
    private long consumed;
    private int collected;
    private long pieceStart;
    private long recordEnd;
    private long records;
    private UnredactableException failure;

    // Value bytes passed in bulk, then the state after them.
    private final PendingBytes pending = new PendingBytes();
    private int afterRun;

    // The class dump being read.
    private int entriesLeft;
    private long classId;
    private long superId;
    private byte[] fieldTypes;
    private int fieldCount;

    HprofRewriter(RedactionMode mode) {
        this(mode, ClassShapes.DEFAULT_LIMIT);
    }

    /** With {@code layoutLimit} bytes at most for the class layouts of PRIMITIVES. */
    HprofRewriter(RedactionMode mode, long layoutLimit) {
        this.mode = mode;
        this.shapes = new ClassShapes(layoutLimit);
        this.zeroFields = mode.zeroesFields();
        this.whole = new WholeSubRecords(mode, shapes);
    }

    long recordsSeen() {
        return records + whole.records();
    }

    void checkHealthy() throws UnredactableException {
        if (failure != null) {
            throw failure;
        }
    }

    /** Redacts {@code b[off, off + len)}, the next bytes of the dump, in place. */
    void rewrite(byte[] b, int off, int len) throws UnredactableException {
        checkHealthy();
        try {
            run(b, off, off + len, consumed - off);
            consumed += len;
        } catch (UnredactableException e) {
            failure = e;
            throw e;
        }
    }

    /** Checks that the dump ended between records. */
    void finish() throws UnredactableException {
        checkHealthy();
        boolean clean =
                collected == 0 && (state == TOP || (state == SUB_TAG && consumed == recordEnd));
        if (!clean) {
            failure =
                    consumed == 0
                            ? UnredactableException.of(Kind.BAD_HEADER, "an empty input", 0)
                            : UnredactableException.of(
                                    state <= HEADER_REST ? Kind.BAD_HEADER : Kind.TRUNCATED,
                                    "the input ends inside " + where(),
                                    consumed);
            throw failure;
        }
    }

    private void run(byte[] b, int pos, int end, long base) throws UnredactableException {
        while (pos < end) {
            switch (state) {
                case RUN -> {
                    pos = pending.pass(b, pos, end);
                    if (pending.done()) {
                        state = afterRun;
                    }
                }
                case HEADER_TEXT -> {
                    if (header.accept(b[pos], base + pos)) {
                        state = HEADER_REST;
                    }
                    pos++;
                }
                case SUB_TAG -> {
                    if (collected == 0) {
                        if (base + pos == recordEnd) {
                            state = TOP;
                            continue;
                        }
                        int limit = (int) Math.min(end, recordEnd - base);
                        int next = whole.rewrite(b, pos, limit, base);
                        if (next != pos) {
                            pos = next;
                            continue;
                        }
                    }
                    pos = gather(b, pos, end, base);
                }
                default -> pos = gather(b, pos, end, base);
            }
        }
    }

    /**
     * Gathers the current state's piece, from the chunk where it lies whole or else into the
     * scratch buffer across chunks, and acts on it once complete. Returns the new position.
     */
    private int gather(byte[] b, int pos, int end, long base) throws UnredactableException {
        int need = pieceSize();
        if (collected == 0) {
            long at = base + pos;
            pieceStart = at;
            if (state >= SUB_TAG && at + need > recordEnd) {
                throw overrun(at);
            }
            if (end - pos >= need) {
                piece(b, pos);
                return pos + need;
            }
        }
        int n = Math.min(need - collected, end - pos);
        System.arraycopy(b, pos, scratch, collected, n);
        collected += n;
        pos += n;
        if (collected == need) {
            collected = 0;
            piece(scratch, 0);
        }
        return pos;
    }

    private int pieceSize() {
        return switch (state) {
            case HEADER_REST -> 12; // identifier size, time stamp
            case TOP -> 9; // tag, time, length
            case SUB_TAG -> 1;
            // id, stack serial, super, loader, signers, domain, 2 reserved, instance size, pool
            // size
            case CLASS_HEAD -> 7 * idSize + 10;
            case CONSTANT -> 3; // pool index, type
            case STATIC_COUNT, FIELD_COUNT -> 2;
            case STATIC, FIELD -> idSize + 1; // name, type
            case INSTANCE_HEAD, OBJECT_ARRAY_HEAD -> 2 * idSize + 8;
            case PRIMITIVE_ARRAY_HEAD, NODATA_ARRAY_HEAD -> idSize + 9;
            default -> throw new IllegalStateException("no piece in state " + state);
        };
    }

    /** Acts on a complete piece of the current state, found at {@code a[p]}. */
    private void piece(byte[] a, int p) throws UnredactableException {
        switch (state) {
            case HEADER_REST -> {
                idSize = u4(a, p);
                if (idSize != 4 && idSize != 8) {
                    throw UnredactableException.of(
                            Kind.UNSUPPORTED_ID_SIZE,
                            "an identifier size of " + Integer.toUnsignedString(idSize),
                            pieceStart);
                }
                whole.idSize(idSize);
                state = TOP;
            }
            case TOP -> topRecord(a[p] & 0xff, u4Long(a, p + 5));
            case SUB_TAG -> subRecord(a[p] & 0xff);
            case CLASS_HEAD -> {
                records++;
                classId = HprofBytes.id(a, p, idSize);
                superId = HprofBytes.id(a, p + idSize + 4, idSize);
                entriesLeft = u2(a, p + 7 * idSize + 8);
                state = entriesLeft > 0 ? CONSTANT : STATIC_COUNT;
            }
            case CONSTANT -> value(a[p + 2] & 0xff, --entriesLeft > 0 ? CONSTANT : STATIC_COUNT);
            case STATIC_COUNT -> {
                entriesLeft = u2(a, p);
                state = entriesLeft > 0 ? STATIC : FIELD_COUNT;
            }
            case STATIC -> value(a[p + idSize] & 0xff, --entriesLeft > 0 ? STATIC : FIELD_COUNT);
            case FIELD_COUNT -> {
                fieldTypes = new byte[u2(a, p)];
                fieldCount = 0;
                endFieldsIfDone();
            }
            case FIELD -> {
                int type = a[p + idSize] & 0xff;
                valueSize(type);
                fieldTypes[fieldCount++] = (byte) type;
                endFieldsIfDone();
            }
            case INSTANCE_HEAD ->
                    instance(HprofBytes.id(a, p + idSize + 4, idSize), u4(a, p + 2 * idSize + 4));
            case OBJECT_ARRAY_HEAD -> {
                records++;
                long count = u4Long(a, p + idSize + 4);
                startRun(count * idSize, false, SUB_TAG);
            }
            case PRIMITIVE_ARRAY_HEAD, NODATA_ARRAY_HEAD -> {
                records++;
                long count = u4Long(a, p + idSize + 4);
                int type = a[p + idSize + 8] & 0xff;
                int size = valueSize(type);
                if (type == HprofTags.OBJECT) {
                    throw unknown("a primitive array of element type " + type, pieceStart);
                }
                if (state == NODATA_ARRAY_HEAD) {
                    state = SUB_TAG;
                } else {
                    startRun(count * size, mode.zeroesArrayOf(type), SUB_TAG);
                }
            }
            default -> throw new IllegalStateException("no piece in state " + state);
        }
    }

    private void topRecord(int tag, long length) throws UnredactableException {
        records++;
        recordEnd = pieceStart + 9 + length;
        if (tag == HprofTags.HEAP_DUMP || tag == HprofTags.HEAP_DUMP_SEGMENT) {
            state = SUB_TAG;
        } else if (HprofTags.isPlainRecord(tag)) {
            startRun(length, false, TOP);
        } else {
            throw UnredactableException.of(
                    Kind.UNKNOWN_RECORD,
                    "an unknown record tag 0x" + Integer.toHexString(tag),
                    pieceStart);
        }
    }

    private void subRecord(int tag) throws UnredactableException {
        switch (tag) {
            case HprofTags.INSTANCE_DUMP -> state = INSTANCE_HEAD;
            case HprofTags.PRIMITIVE_ARRAY_DUMP -> state = PRIMITIVE_ARRAY_HEAD;
            case HprofTags.OBJECT_ARRAY_DUMP -> state = OBJECT_ARRAY_HEAD;
            case HprofTags.CLASS_DUMP -> state = CLASS_HEAD;
            case HprofTags.PRIMITIVE_ARRAY_NODATA_DUMP -> state = NODATA_ARRAY_HEAD;
            case HprofTags.HEAP_DUMP_INFO -> {
                records++;
                startRun(4 + idSize, false, SUB_TAG); // heap type, heap name id
            }
            default -> {
                int size = HprofTags.rootBodySize(tag, idSize);
                if (size < 0) {
                    throw unknown(
                            "an unknown heap dump sub-record tag 0x" + Integer.toHexString(tag),
                            pieceStart);
                }
                records++;
                startRun(size, false, SUB_TAG);
            }
        }
    }

    private void instance(long classId, int fieldBytes) throws UnredactableException {
        records++;
        long length = fieldBytes & 0xffffffffL;
        long blockStart = pieceStart + 2L * idSize + 8;
        if (!zeroFields) {
            startRun(length, false, SUB_TAG);
            return;
        }
        if (blockStart + length > recordEnd) {
            throw overrun(blockStart);
        }
        pending.fields(shapes.shape(classId, length, idSize, pieceStart - 1).runs); // at its tag
        afterRun = SUB_TAG;
        state = pending.done() ? SUB_TAG : RUN;
    }

    /** A constant pool or static value of {@code type}: zeroed if primitive and fields are. */
    private void value(int type, int after) throws UnredactableException {
        int size = valueSize(type);
        startRun(size, zeroFields && type != HprofTags.OBJECT, after);
    }

    private void endFieldsIfDone() throws UnredactableException {
        if (fieldCount < fieldTypes.length) {
            state = FIELD;
            return;
        }
        if (zeroFields) {
            shapes.define(classId, superId, fieldTypes, pieceStart);
        }
        state = SUB_TAG;
    }

    private void startRun(long length, boolean zero, int after) throws UnredactableException {
        long start = pieceStart + pieceSize();
        if (start + length > recordEnd) {
            throw overrun(start);
        }
        if (length == 0) {
            state = after;
            return;
        }
        pending.run(length, zero);
        afterRun = after;
        state = RUN;
    }

    private int valueSize(int type) throws UnredactableException {
        int size = HprofTags.valueSize(type, idSize);
        if (size < 0) {
            throw unknown("an unknown basic type " + type, pieceStart);
        }
        return size;
    }

    private UnredactableException overrun(long at) {
        return UnredactableException.of(
                Kind.RECORD_OVERRUN,
                "a heap dump sub-record running past its record's end (byte " + recordEnd + ")",
                at);
    }

    private static UnredactableException unknown(String what, long at) {
        return UnredactableException.of(Kind.UNKNOWN_SUB_RECORD, what, at);
    }

    private String where() {
        return switch (state) {
            case HEADER_TEXT, HEADER_REST -> "the file header";
            case TOP -> "a record header";
            case RUN -> afterRun == TOP ? "a record" : "a heap dump sub-record";
            default -> "a heap dump sub-record";
        };
    }
}
