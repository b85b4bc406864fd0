package dev.dumpflow.analysis;

import dev.dumpflow.events.HeapSummary.HeapLayout;

/** Sizes of arrays under a layout, and the alignment arithmetic shared by all sizes. */
final class ArraySizes {

    private ArraySizes() {}

    static long align(long value, int alignment) {
        return (value + alignment - 1) & -(long) alignment;
    }

    static int alignInt(int value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /**
     * Where the elements start: right after the length field, except that 8-byte elements start on
     * an 8-byte boundary (HotSpot since JDK 22; older ones align every array header to 8, which the
     * inferred header size then already reflects).
     */
    static int base(HeapLayout layout, int elementSize) {
        return elementSize == 8 ? alignInt(layout.arrayHeaderSize(), 8) : layout.arrayHeaderSize();
    }

    static long size(HeapLayout layout, int elementSize, long length) {
        return align(base(layout, elementSize) + length * elementSize, layout.alignment());
    }
}
