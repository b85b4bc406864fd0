package dev.dumpflow.analysis.redact;

import dev.dumpflow.analysis.redact.UnredactableException.Kind;
import java.util.ArrayDeque;

/**
 * The instance field types of every class dump seen, by class id, and the {@link FieldRuns} of an
 * instance of each. Lookups are on the hot path (one per instance), so ids map to shapes by open
 * addressing without boxing. Memory grows with the classes only, and is capped, so that a hostile
 * dump of millions of classes fails closed instead of exhausting the heap.
 */
final class ClassShapes {

    /** The default cap: some 100 times what a JVM with 100,000 classes needs. */
    static final long DEFAULT_LIMIT = 64L << 20;

    /** Bytes counted per class besides its arrays: the shape object and its table slot. */
    private static final int SHAPE_BYTES = 96;

    /** A class's own instance fields and its super class; its field runs once built. */
    static final class Shape {
        final long superId;
        final byte[] fieldTypes;
        int[] runs;

        /** The runs as AND masks of 8 bytes each, for small blocks with something to zero. */
        long[] masks;

        long runsSize;
        int runsGeneration = -1;

        Shape(long superId, byte[] fieldTypes) {
            this.superId = superId;
            this.fieldTypes = fieldTypes;
        }
    }

    private final ShapeTable<Shape> table = new ShapeTable<>();
    private final long limit;
    private long held;

    /** Bumped when a class is dumped twice, so that runs built from the old shape are rebuilt. */
    private int generation;

    private long lastId;
    private Shape last;

    ClassShapes(long limit) {
        this.limit = limit;
    }

    void define(long classId, long superId, byte[] fieldTypes, long at)
            throws UnredactableException {
        hold(SHAPE_BYTES + fieldTypes.length, at);
        if (table.put(classId, new Shape(superId, fieldTypes))) {
            generation++;
        }
        last = null;
    }

    /**
     * The shape of an instance of {@code classId} whose sub-record starts at {@code at}, with its
     * field runs built.
     *
     * @throws UnredactableException if a class of the chain has no class dump, or the layout's size
     *     differs from the instance's {@code length}
     */
    Shape shape(long classId, long length, int idSize, long at) throws UnredactableException {
        Shape shape = last != null && classId == lastId ? last : table.get(classId);
        // Kept small so that the JIT inlines it into the per-instance loop; the rest is rare.
        if (shape != null && shape.runsGeneration == generation && shape.runsSize == length) {
            lastId = classId;
            last = shape;
            return shape;
        }
        return checkedShape(shape, classId, length, idSize, at);
    }

    private Shape checkedShape(Shape shape, long classId, long length, int idSize, long at)
            throws UnredactableException {
        if (shape == null) {
            throw layout("an instance of class " + hex(classId) + " with no class dump", at);
        }
        if (shape.runsGeneration != generation) {
            build(shape, classId, idSize, at);
        }
        lastId = classId;
        last = shape;
        if (shape.runsSize != length) {
            throw layout(
                    "an instance of class "
                            + hex(classId)
                            + " with "
                            + length
                            + " bytes of fields where its class dumps give "
                            + shape.runsSize,
                    at);
        }
        return shape;
    }

    /** Builds the runs of {@code shape} and of its super classes that lack them, top down. */
    private void build(Shape shape, long classId, int idSize, long at)
            throws UnredactableException {
        ArrayDeque<Shape> unbuilt = new ArrayDeque<>();
        Shape s = shape;
        while (s != null && s.runsGeneration != generation) {
            if (unbuilt.size() > table.size()) {
                throw layout("an instance of class " + hex(classId) + " in a cycle of classes", at);
            }
            unbuilt.push(s);
            if (s.superId == 0) {
                break;
            }
            Shape parent = table.get(s.superId);
            if (parent == null) {
                throw layout(
                        "an instance of class "
                                + hex(classId)
                                + " whose super class "
                                + hex(s.superId)
                                + " has no class dump",
                        at);
            }
            s = parent;
        }
        int[] superRuns = s != null && s.runsGeneration == generation ? s.runs : new int[0];
        while (!unbuilt.isEmpty()) {
            Shape next = unbuilt.pop();
            int[] runs = FieldRuns.of(next.fieldTypes, idSize, superRuns);
            if (runs == null) {
                throw layout(
                        "an instance of class " + hex(classId) + " with 2 GiB of fields or more",
                        at);
            }
            hold(bytes(runs) - (next.runs == null ? 0 : bytes(next.runs)), at);
            next.runs = runs;
            next.masks = FieldRuns.masks(runs);
            next.runsSize = FieldRuns.size(runs);
            next.runsGeneration = generation;
            superRuns = runs;
        }
    }

    /** What the runs and their masks take. */
    private static long bytes(int[] runs) {
        return 32 + 4L * runs.length + FieldRuns.MASKED_BYTES;
    }

    private void hold(long bytes, long at) throws UnredactableException {
        held += bytes;
        if (held > limit) {
            throw UnredactableException.of(
                    Kind.LAYOUT_LIMIT, "class layouts past the limit of " + limit + " bytes", at);
        }
    }

    private static UnredactableException layout(String what, long at) {
        return UnredactableException.of(Kind.UNKNOWN_LAYOUT, what, at);
    }

    private static String hex(long id) {
        return "0x" + Long.toHexString(id);
    }
}
