package dev.dumpflow.analysis;

/**
 * Maps HPROF identifiers to dense indexes without boxing: the parse looks a class up for every
 * object, so this is on the hot path. Open addressing with linear probing; identifier 0 is stored
 * aside because it marks an empty slot. Its tables are taken from the {@link AnalysisCap#IDS} cap.
 */
final class IdIndex {

    private static final int ABSENT = -1;

    /** A key and a value per slot. */
    private static final long SLOT_BYTES = Long.BYTES + Integer.BYTES;

    private final MemoryBudget budget;
    private long[] keys;
    private int[] values;
    private int size;
    private int zeroValue = ABSENT;

    IdIndex(int expected, MemoryBudget budget) {
        this.budget = budget;
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        budget.take(AnalysisCap.IDS, capacity * SLOT_BYTES);
        keys = new long[capacity];
        values = new int[capacity];
    }

    /** The index stored for {@code id}, or -1. */
    int get(long id) {
        if (id == 0) {
            return zeroValue;
        }
        long[] k = keys;
        int mask = k.length - 1;
        int slot = mix(id) & mask;
        while (true) {
            long candidate = k[slot];
            if (candidate == id) {
                return values[slot];
            }
            if (candidate == 0) {
                return ABSENT;
            }
            slot = (slot + 1) & mask;
        }
    }

    void put(long id, int value) {
        if (id == 0) {
            zeroValue = value;
            return;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        if (insert(keys, values, id, value)) {
            size++;
        }
    }

    private boolean insert(long[] k, int[] v, long id, int value) {
        int mask = k.length - 1;
        int slot = mix(id) & mask;
        while (k[slot] != 0 && k[slot] != id) {
            slot = (slot + 1) & mask;
        }
        boolean added = k[slot] == 0;
        k[slot] = id;
        v[slot] = value;
        return added;
    }

    /** Doubles the tables; the old ones are counted until the new ones are filled. */
    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        budget.take(AnalysisCap.IDS, oldKeys.length * 2 * SLOT_BYTES);
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                insert(keys, values, oldKeys[i], oldValues[i]);
            }
        }
        budget.release(AnalysisCap.IDS, oldKeys.length * SLOT_BYTES);
    }

    private static int mix(long id) {
        // Object ids are aligned addresses: their low bits are always zero, so spread the high
        // ones.
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
