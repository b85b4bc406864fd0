package dev.dumpflow.analysis;

import java.util.Arrays;

/**
 * Where fields end up in an object, computed the way HotSpot's field layout builder places them
 * (JDK 15 and later): a class starts from its super class's layout, holes included; its primitive
 * fields go largest first, then its references; each field takes the smallest hole it fits in at
 * its natural alignment, or else goes at the end. Only the end offset and the holes are kept.
 */
final class FieldLayout {

    private final int end;

    /** Free gaps as {offset, size} pairs, in offset order. */
    private final int[] holes;

    private FieldLayout(int end, int[] holes) {
        this.end = end;
        this.holes = holes;
    }

    /** The layout of an object with nothing but a header of {@code headerSize} bytes. */
    static FieldLayout empty(int headerSize) {
        return new FieldLayout(headerSize, new int[0]);
    }

    /** The byte just past the last field. */
    int end() {
        return end;
    }

    /**
     * This layout with fields of the given HPROF types added, references {@code referenceSize}
     * bytes wide.
     */
    FieldLayout with(byte[] types, int referenceSize) {
        return with(types, referenceSize, false);
    }

    /**
     * This layout with static fields added, as in a {@code Class} mirror: HotSpot puts the
     * references first, side by side so that the GC scans one block, then the primitives.
     */
    FieldLayout withStatics(byte[] types, int referenceSize) {
        return with(types, referenceSize, true);
    }

    private FieldLayout with(byte[] types, int referenceSize, boolean referencesFirst) {
        if (types.length == 0) {
            return this;
        }
        int[] sizes = new int[types.length];
        for (int i = 0; i < types.length; i++) {
            int type = types[i];
            // References are placed after every primitive, so rank them below the smallest one.
            sizes[i] = type == HprofType.OBJECT ? 0 : Math.max(HprofType.size(type, 0), 1);
        }
        Arrays.sort(sizes);
        Builder builder = new Builder(end, holes);
        if (referencesFirst) {
            placeReferences(builder, sizes, referenceSize);
        }
        for (int i = sizes.length - 1; i >= 0 && sizes[i] > 0; i--) {
            builder.place(sizes[i]);
        }
        if (!referencesFirst) {
            placeReferences(builder, sizes, referenceSize);
        }
        return builder.build();
    }

    private static void placeReferences(Builder builder, int[] sortedSizes, int referenceSize) {
        for (int size : sortedSizes) {
            if (size == 0) {
                builder.place(referenceSize);
            }
        }
    }

    private static final class Builder {
        private int end;
        private int[] holes;
        private int holeCount;

        Builder(int end, int[] holes) {
            this.end = end;
            this.holes = Arrays.copyOf(holes, Math.max(8, holes.length + 8));
            this.holeCount = holes.length / 2;
        }

        void place(int size) {
            int best = -1;
            // HotSpot searches from the last hole backwards and keeps a strictly smaller one.
            for (int h = holeCount - 1; h >= 0; h--) {
                int offset = holes[2 * h];
                int holeSize = holes[2 * h + 1];
                int start = ArraySizes.alignInt(offset, size);
                if (start + size <= offset + holeSize
                        && (best < 0 || holeSize < holes[2 * best + 1])) {
                    best = h;
                }
            }
            if (best < 0) {
                int start = ArraySizes.alignInt(end, size);
                if (start > end) {
                    addHole(end, start - end);
                }
                end = start + size;
                return;
            }
            int offset = holes[2 * best];
            int holeEnd = offset + holes[2 * best + 1];
            int start = ArraySizes.alignInt(offset, size);
            removeHole(best);
            if (start > offset) {
                addHole(offset, start - offset);
            }
            if (start + size < holeEnd) {
                addHole(start + size, holeEnd - start - size);
            }
        }

        private void addHole(int offset, int size) {
            if (2 * holeCount + 2 > holes.length) {
                holes = Arrays.copyOf(holes, holes.length * 2);
            }
            int at = holeCount;
            while (at > 0 && holes[2 * (at - 1)] > offset) {
                holes[2 * at] = holes[2 * (at - 1)];
                holes[2 * at + 1] = holes[2 * (at - 1) + 1];
                at--;
            }
            holes[2 * at] = offset;
            holes[2 * at + 1] = size;
            holeCount++;
        }

        private void removeHole(int index) {
            System.arraycopy(holes, 2 * index + 2, holes, 2 * index, 2 * (holeCount - index - 1));
            holeCount--;
        }

        FieldLayout build() {
            return new FieldLayout(end, Arrays.copyOf(holes, 2 * holeCount));
        }
    }
}
