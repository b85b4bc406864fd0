package dev.dumpflow.functions.chaos;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small JVM for the chaos run to take a real heap dump of: it holds {@link #MEBIBYTES} MiB of
 * random bytes, so that every dump differs and compresses to more than one multipart part, says
 * {@code ready}, and ends when its standard input closes.
 */
public final class RandomHeapJvm {

    /** How many MiB of random bytes it holds. */
    static final int MEBIBYTES = 10;

    /** Kept reachable so that the dump holds them. */
    static final List<byte[]> HELD = new ArrayList<>();

    private RandomHeapJvm() {}

    public static void main(String[] args) throws IOException {
        SplittableRandom random = new SplittableRandom();
        for (int i = 0; i < MEBIBYTES; i++) {
            byte[] block = new byte[1 << 20];
            random.nextBytes(block);
            HELD.add(block);
        }
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // Wait for the test to close the pipe.
        }
    }
}
