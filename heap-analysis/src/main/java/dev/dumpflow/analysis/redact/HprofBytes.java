package dev.dumpflow.analysis.redact;

/** Reads HPROF's big-endian numbers and identifiers out of a byte array. */
final class HprofBytes {

    private HprofBytes() {}

    static int u2(byte[] a, int p) {
        return ((a[p] & 0xff) << 8) | (a[p + 1] & 0xff);
    }

    static int u4(byte[] a, int p) {
        return ((a[p] & 0xff) << 24)
                | ((a[p + 1] & 0xff) << 16)
                | ((a[p + 2] & 0xff) << 8)
                | (a[p + 3] & 0xff);
    }

    /** A u4 read as a non-negative long: lengths and counts. */
    static long u4Long(byte[] a, int p) {
        return u4(a, p) & 0xffffffffL;
    }

    static long id(byte[] a, int p, int idSize) {
        if (idSize == 4) {
            return u4Long(a, p);
        }
        return ((long) u4(a, p) << 32) | u4Long(a, p + 4);
    }
}
