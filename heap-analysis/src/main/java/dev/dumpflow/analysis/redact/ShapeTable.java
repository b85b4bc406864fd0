package dev.dumpflow.analysis.redact;

/**
 * Maps HPROF ids to values without boxing: open addressing with linear probing. Id 0 marks an empty
 * slot, so its value is kept aside.
 */
final class ShapeTable<V> {

    private long[] keys = new long[1024];
    private Object[] values = new Object[1024];
    private int size;
    private V zeroValue;

    int size() {
        return size + (zeroValue == null ? 0 : 1);
    }

    @SuppressWarnings("unchecked")
    V get(long id) {
        if (id == 0) {
            return zeroValue;
        }
        long[] k = keys;
        int mask = k.length - 1;
        for (int slot = mix(id) & mask; ; slot = (slot + 1) & mask) {
            long key = k[slot];
            if (key == id) {
                return (V) values[slot];
            }
            if (key == 0) {
                return null;
            }
        }
    }

    /** Stores the value; true if it replaced one. */
    boolean put(long id, V value) {
        if (id == 0) {
            boolean replaced = zeroValue != null;
            zeroValue = value;
            return replaced;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        boolean added = insert(keys, values, id, value);
        if (added) {
            size++;
        }
        return !added;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                insert(keys, values, oldKeys[i], oldValues[i]);
            }
        }
    }

    /** True if the id was new. */
    private static boolean insert(long[] k, Object[] v, long id, Object value) {
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

    private static int mix(long id) {
        // Class ids are aligned addresses whose low bits are zero: spread the high ones.
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
