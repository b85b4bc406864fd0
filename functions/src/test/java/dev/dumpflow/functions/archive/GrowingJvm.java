package dev.dumpflow.functions.archive;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A leaking program for a child JVM: each {@code grow <n>} line on its standard input adds {@code
 * n} sessions to a map it never clears, then it prints {@code grown <total>} and allocates nothing
 * until the next line, so that a dump and a histogram taken in between see the same heap. It ends
 * when its input closes.
 */
public final class GrowingJvm {

    /** Bytes each session holds besides itself. */
    static final int PAYLOAD = 256;

    /** What leaks: one per request, never removed. */
    static final class Session {
        final long id;
        final byte[] payload = new byte[PAYLOAD];

        Session(long id) {
            this.id = id;
        }
    }

    static final Map<Long, Session> SESSIONS = new HashMap<>();

    private GrowingJvm() {}

    public static void main(String[] args) throws IOException {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("ready");
        System.out.flush();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("grow ")) {
                int n = Integer.parseInt(line.substring(5).trim());
                for (int i = 0; i < n; i++) {
                    long id = SESSIONS.size();
                    SESSIONS.put(id, new Session(id));
                }
                System.out.println("grown " + SESSIONS.size());
                System.out.flush();
            }
        }
    }
}
