package dev.dumpflow.analysis.redact;

import static dev.dumpflow.analysis.redact.HprofBytes.id;
import static dev.dumpflow.analysis.redact.HprofBytes.u4Long;

import java.util.Arrays;

/**
 * The redactor's fast path, over the bulk of a heap dump: instances, arrays and roots that lie
 * whole in the current chunk are rewritten in one tight loop, with no state kept per piece. It
 * stops before anything it leaves to {@link HprofRewriter}'s state machine: class dumps,
 * sub-records that straddle the chunk or the record, and anything invalid, which the state machine
 * reports.
 */
final class WholeSubRecords {

    private final boolean zeroFields;
    private final ClassShapes shapes;

    /** By primitive array element type: whether the mode zeroes it, and its size (0: invalid). */
    private final boolean[] zeroArrays = new boolean[HprofTags.LONG + 1];

    private final int[] elementSizes = new int[HprofTags.LONG + 1];

    private int idSize;
    private long records;

    WholeSubRecords(RedactionMode mode, ClassShapes shapes) {
        this.zeroFields = mode.zeroesFields();
        this.shapes = shapes;
        for (int type = HprofTags.BOOLEAN; type <= HprofTags.LONG; type++) {
            zeroArrays[type] = mode.zeroesArrayOf(type);
            elementSizes[type] = HprofTags.valueSize(type, 0);
        }
    }

    void idSize(int idSize) {
        this.idSize = idSize;
    }

    long records() {
        return records;
    }

    /**
     * Rewrites the whole sub-records in {@code b[pos, limit)}, {@code limit} being the chunk's or
     * the record's end, whichever comes first; {@code base} is the input offset of {@code b[0]}.
     * Returns where it stopped.
     */
    int rewrite(byte[] b, int pos, int limit, long base) throws UnredactableException {
        int id = idSize;
        while (pos < limit) {
            int tag = b[pos] & 0xff;
            int next;
            switch (tag) {
                case HprofTags.INSTANCE_DUMP -> {
                    int fields = pos + 1 + 2 * id + 8;
                    if (fields > limit) {
                        return pos;
                    }
                    long length = u4Long(b, fields - 4);
                    if (fields + length > limit) {
                        return pos;
                    }
                    next = fields + (int) length;
                    if (zeroFields) {
                        long classId = id(b, pos + 1 + id + 4, id);
                        ClassShapes.Shape shape = shapes.shape(classId, length, id, base + pos);
                        long[] masks = shape.masks;
                        if (masks != null && fields + masks.length * 8 <= limit) {
                            FieldRuns.applyMasks(b, fields, masks);
                        } else {
                            zero(b, fields, shape.runs);
                        }
                    }
                }
                case HprofTags.PRIMITIVE_ARRAY_DUMP -> {
                    int elements = pos + 1 + id + 9;
                    if (elements > limit) {
                        return pos;
                    }
                    int type = b[elements - 1] & 0xff;
                    if (type >= elementSizes.length || elementSizes[type] == 0) {
                        return pos;
                    }
                    long bytes = u4Long(b, elements - 5) * elementSizes[type];
                    if (elements + bytes > limit) {
                        return pos;
                    }
                    next = elements + (int) bytes;
                    if (zeroArrays[type]) {
                        Arrays.fill(b, elements, next, (byte) 0);
                    }
                }
                case HprofTags.OBJECT_ARRAY_DUMP -> {
                    int elements = pos + 1 + 2 * id + 8;
                    if (elements > limit) {
                        return pos;
                    }
                    long bytes = u4Long(b, elements - id - 4) * id;
                    if (elements + bytes > limit) {
                        return pos;
                    }
                    next = elements + (int) bytes;
                }
                default -> {
                    int size = HprofTags.rootBodySize(tag, id);
                    if (size < 0 || pos + 1 + size > limit) {
                        return pos;
                    }
                    next = pos + 1 + size;
                }
            }
            records++;
            pos = next;
        }
        return pos;
    }

    /** Zeroes the odd runs of an instance's field block that starts at {@code at}. */
    private static void zero(byte[] b, int at, int[] runs) {
        for (int i = 1; i < runs.length; i += 2) {
            at += runs[i - 1];
            int to = at + runs[i];
            // Field runs are a few bytes long: a plain loop beats Arrays.fill's set-up there.
            for (int j = at; j < to; j++) {
                b[j] = 0;
            }
            at = to;
        }
    }
}
