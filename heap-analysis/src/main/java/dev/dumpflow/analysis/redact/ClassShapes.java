package dev.dumpflow.analysis.redact;

import dev.dumpflow.analysis.redact.UnredactableException.Kind;
import java.util.Arrays;

/**
 * The instance field types of every class dump seen, by class id, and from them which bytes of an
 * instance's field block hold primitive values. Memory grows with the number of classes only: a few
 * small arrays per class. Lookups are on the hot path (one per instance), so ids map to shapes by
 * open addressing without boxing.
 */
final class ClassShapes {

    /** A class's own instance fields and its super class; its field runs once an instance asks. */
    private static final class Shape {
        final long superId;
        final byte[] fieldTypes;
        int[] runs;
        long runsSize;
        int runsGeneration = -1;

        Shape(long superId, byte[] fieldTypes) {
            this.superId = superId;
            this.fieldTypes = fieldTypes;
        }
    }

    private long[] keys = new long[1024];
    private Shape[] values = new Shape[1024];
    private int size;
    private Shape zeroShape;

    /** Bumped when a class is dumped twice, so that runs built from the old shape are rebuilt. */
    private int generation;

    private long lastId = -1;
    private Shape last;

    void define(long classId, long superId, byte[] fieldTypes) {
        Shape shape = new Shape(superId, fieldTypes);
        if (classId == 0) {
            generation += zeroShape != null ? 1 : 0;
            zeroShape = shape;
        } else if (put(classId, shape)) {
            generation++;
        }
        last = null;
        lastId = -1;
    }

    /**
     * The field block of an instance of {@code classId} as lengths of alternately kept (object
     * references) and zeroed (primitive values) bytes, in the order HotSpot writes them: the
     * class's own fields, then its super class's, up to {@code java.lang.Object}.
     *
     * @throws UnredactableException if a class of the chain has no class dump, or the layout's size
     *     differs from the instance's {@code length}
     */
    int[] fieldRuns(long classId, long length, int idSize, long at) throws UnredactableException {
        Shape shape = last != null && classId == lastId ? last : get(classId);
        if (shape == null) {
            throw UnredactableException.of(
                    Kind.UNKNOWN_LAYOUT,
                    "an instance of class 0x" + Long.toHexString(classId) + " with no class dump",
                    at);
        }
        if (shape.runsGeneration != generation) {
            buildRuns(shape, classId, idSize, at);
        }
        lastId = classId;
        last = shape;
        if (shape.runsSize != length) {
            throw UnredactableException.of(
                    Kind.UNKNOWN_LAYOUT,
                    "an instance of class 0x"
                            + Long.toHexString(classId)
                            + " with "
                            + length
                            + " bytes of fields where its class dumps give "
                            + shape.runsSize,
                    at);
        }
        return shape.runs;
    }

    private void buildRuns(Shape shape, long classId, int idSize, long at)
            throws UnredactableException {
        int[] runs = new int[8];
        int count = 1; // runs[0] is the first kept run, possibly empty
        long total = 0;
        int hops = 0;
        for (Shape s = shape; s != null; ) {
            for (byte type : s.fieldTypes) {
                int bytes = HprofTags.valueSize(type, idSize);
                boolean zero = type != HprofTags.OBJECT;
                // Even indexes are kept runs, odd ones zeroed: open a new run on a change.
                if (((count - 1) & 1) == 1 != zero) {
                    if (count == runs.length) {
                        runs = Arrays.copyOf(runs, count * 2);
                    }
                    count++;
                }
                runs[count - 1] += bytes;
                total += bytes;
            }
            if (s.superId == 0) {
                break;
            }
            Shape parent = get(s.superId);
            if (parent == null || ++hops > size + 1) {
                throw UnredactableException.of(
                        Kind.UNKNOWN_LAYOUT,
                        "an instance of class 0x"
                                + Long.toHexString(classId)
                                + (parent == null
                                        ? " whose super class 0x"
                                                + Long.toHexString(s.superId)
                                                + " has no class dump"
                                        : " in a cycle of super classes"),
                        at);
            }
            s = parent;
        }
        shape.runs = Arrays.copyOf(runs, count);
        shape.runsSize = total;
        shape.runsGeneration = generation;
    }

    private Shape get(long id) {
        if (id == 0) {
            return zeroShape;
        }
        int mask = keys.length - 1;
        for (int slot = mix(id) & mask; ; slot = (slot + 1) & mask) {
            long key = keys[slot];
            if (key == id) {
                return values[slot];
            }
            if (key == 0) {
                return null;
            }
        }
    }

    /** Stores the shape; true if it replaced one. */
    private boolean put(long id, Shape shape) {
        if ((size + 1) * 2 > keys.length) {
            long[] oldKeys = keys;
            Shape[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new Shape[oldKeys.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    insert(oldKeys[i], oldValues[i]);
                }
            }
        }
        boolean replaced = !insert(id, shape);
        if (!replaced) {
            size++;
        }
        return replaced;
    }

    /** True if the id was new. */
    private boolean insert(long id, Shape shape) {
        int mask = keys.length - 1;
        int slot = mix(id) & mask;
        while (keys[slot] != 0 && keys[slot] != id) {
            slot = (slot + 1) & mask;
        }
        boolean added = keys[slot] == 0;
        keys[slot] = id;
        values[slot] = shape;
        return added;
    }

    private static int mix(long id) {
        // Class ids are aligned addresses whose low bits are zero: spread the high ones.
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
