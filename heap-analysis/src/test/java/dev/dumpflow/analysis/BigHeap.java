package dev.dumpflow.analysis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fills a heap with about {@code args[0]} MiB of a realistic mix (small linked objects, strings,
 * byte arrays of varied lengths, object arrays), prints READY and waits for stdin to close. Used to
 * make the large dump that {@link HprofParseThroughput} reads; not a test.
 */
public final class BigHeap {

    /** A small linked object, like the nodes of the collections that fill real heaps. */
    static final class Node {
        final long key;
        final int hash;
        Object value;
        Node next;

        Node(long key, Object value, Node next) {
            this.key = key;
            this.hash = Long.hashCode(key);
            this.value = value;
            this.next = next;
        }
    }

    private BigHeap() {}

    public static void main(String[] args) throws IOException {
        long target = Long.parseLong(args.length > 0 ? args[0] : "1024") << 20;
        Random random = new Random(42);
        List<Object[]> roots = new ArrayList<>();
        Object[] chunk = new Object[1 << 16];
        int inChunk = 0;
        long allocated = 0;
        Node head = null;
        while (allocated < target) {
            Object value;
            switch (random.nextInt(4)) {
                case 0 -> {
                    value = new byte[random.nextInt(400)];
                    allocated += ((byte[]) value).length + 16;
                }
                case 1 -> {
                    value = "s" + random.nextLong();
                    allocated += 24 + 40;
                }
                default -> {
                    value = Integer.valueOf(random.nextInt());
                    allocated += 16;
                }
            }
            head = new Node(allocated, value, inChunk % 8 == 0 ? null : head);
            allocated += 32;
            chunk[inChunk++] = head;
            if (inChunk == chunk.length) {
                roots.add(chunk);
                chunk = new Object[1 << 16];
                inChunk = 0;
            }
        }
        roots.add(chunk);
        System.out.println("READY " + roots.size());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Hold the heap until the caller closes our input.
        }
    }
}
