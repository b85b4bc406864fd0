package dev.dumpflow.sidecar.dumpdir;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The child JVM the heap-dump test dumps: holds a few megabytes, says "ready", waits. */
public final class HeapDumpTarget {

    private HeapDumpTarget() {}

    public static void main(String[] args) throws IOException {
        List<byte[]> retained = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            retained.add(new byte[64 * 1024]);
        }
        System.out.println("ready " + retained.size());
        System.out.flush();
        System.in.read();
    }
}
