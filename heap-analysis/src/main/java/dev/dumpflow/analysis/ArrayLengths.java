package dev.dumpflow.analysis;

/**
 * The lengths of one array class's arrays, kept so that their JVM sizes can be summed after the
 * parse, when the layout is known: an array's padding depends only on its length modulo the
 * alignment, and 256 residues cover every alignment HotSpot allows.
 */
final class ArrayLengths {

    static final int RESIDUES = 256;

    private final long[] countByResidue = new long[RESIDUES];
    private long lengthSum;

    void add(long length) {
        countByResidue[(int) (length & (RESIDUES - 1))]++;
        lengthSum += length;
    }

    /** Total bytes of all arrays counted, each sized {@code align(base + length * elementSize)}. */
    long totalBytes(int base, int elementSize, int alignment) {
        long count = 0;
        long padding = 0;
        for (int r = 0; r < RESIDUES; r++) {
            long n = countByResidue[r];
            if (n != 0) {
                long unpadded = base + (long) r * elementSize;
                padding += n * (ArraySizes.align(unpadded, alignment) - unpadded);
                count += n;
            }
        }
        return count * base + lengthSum * elementSize + padding;
    }
}
