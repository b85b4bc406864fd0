package dev.dumpflow.analysis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The program a child JVM runs for the tests: it allocates a known profile, says READY, and then
 * allocates nothing until its standard input closes, so a histogram and a dump taken one after the
 * other see the same heap.
 */
public final class AllocationProfile {

    static final int PAYLOADS = 12_345;
    static final int LONG_ARRAYS = 321;
    static final int LONG_ARRAY_LENGTH = 1_000;
    static final int BIG_BYTES = 3_000_001;
    static final int POINTERS = 50_000;

    /** A class only this program has, with fields of every width and references. */
    static final class Payload {
        long id;
        int count;
        short small;
        byte flag;
        boolean seen;
        Object ref;
        Payload next;

        Payload(long id) {
            this.id = id;
        }
    }

    /** A subclass whose fields can fill the holes its super class leaves. */
    static final class Tail extends Hole {
        int a;
        byte b;
    }

    /** A super class with a gap after its header: one long. */
    static class Hole {
        long l;
    }

    static final List<Object> KEEP = new ArrayList<>();

    private AllocationProfile() {}

    public static void main(String[] args) throws IOException {
        Payload[] payloads = new Payload[PAYLOADS];
        for (int i = 0; i < PAYLOADS; i++) {
            payloads[i] = new Payload(i);
            payloads[i].next = i > 0 ? payloads[i - 1] : null;
        }
        KEEP.add(payloads);
        for (int i = 0; i < LONG_ARRAYS; i++) {
            KEEP.add(new long[LONG_ARRAY_LENGTH]);
        }
        KEEP.add(new byte[BIG_BYTES]);
        Object[] pointers = new Object[POINTERS];
        for (int i = 0; i < POINTERS; i++) {
            pointers[i] = i % 2 == 0 ? new Tail() : new char[i % 17];
        }
        KEEP.add(pointers);
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() >= 0) {
            // Wait, allocating nothing, until the test closes our input.
        }
        System.out.println(KEEP.size());
    }
}
