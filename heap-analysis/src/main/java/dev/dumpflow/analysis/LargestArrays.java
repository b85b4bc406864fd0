package dev.dumpflow.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the largest single arrays seen, in two bounded lists: object arrays by length and primitive
 * arrays by content bytes. The two can only be ranked together once the reference size is known,
 * after the parse; within each list the ranking already holds.
 */
final class LargestArrays {

    /** One kept array: its class and length. */
    record Candidate(ClassInfo type, long length) {}

    private final int limit;
    private final long[] objectKeys;
    private final Candidate[] objects;
    private final long[] primitiveKeys;
    private final Candidate[] primitives;

    LargestArrays(int limit) {
        this.limit = limit;
        this.objectKeys = new long[limit];
        this.objects = new Candidate[limit];
        this.primitiveKeys = new long[limit];
        this.primitives = new Candidate[limit];
    }

    void objectArray(ClassInfo type, long length) {
        offer(objectKeys, objects, length, type, length);
    }

    void primitiveArray(ClassInfo type, long length) {
        offer(primitiveKeys, primitives, length * type.primitiveElementSize, type, length);
    }

    private void offer(long[] keys, Candidate[] kept, long key, ClassInfo type, long length) {
        if (limit == 0 || (kept[limit - 1] != null && key <= keys[limit - 1])) {
            return;
        }
        int at = limit - 1;
        while (at > 0 && (kept[at - 1] == null || keys[at - 1] < key)) {
            keys[at] = keys[at - 1];
            kept[at] = kept[at - 1];
            at--;
        }
        keys[at] = key;
        kept[at] = new Candidate(type, length);
    }

    /** Every kept array, in no particular order; the caller sizes and ranks them. */
    List<Candidate> candidates() {
        List<Candidate> all = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
            if (objects[i] != null) {
                all.add(objects[i]);
            }
            if (primitives[i] != null) {
                all.add(primitives[i]);
            }
        }
        return all;
    }
}
