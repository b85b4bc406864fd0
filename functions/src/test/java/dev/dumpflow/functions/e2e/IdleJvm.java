package dev.dumpflow.functions.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small JVM for the end-to-end test to take a real heap dump of: it holds a recognisable list of
 * arrays, says {@code ready}, and ends when its standard input closes.
 */
public final class IdleJvm {

    /** How many arrays it holds. */
    static final int ARRAYS = 64;

    /** The length of each. */
    static final int ARRAY_LENGTH = 8192;

    /** Kept reachable so that the dump holds something besides the JDK's own objects. */
    static final List<long[]> HELD = new ArrayList<>();

    private IdleJvm() {}

    public static void main(String[] args) throws IOException {
        for (int i = 0; i < ARRAYS; i++) {
            HELD.add(new long[ARRAY_LENGTH]);
        }
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // Wait for the test to close the pipe.
        }
    }
}
