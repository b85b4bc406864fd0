package dev.dumpflow.functions.archive;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A program for a child JVM that holds secrets the way services do: each {@code secret <token>}
 * line on its standard input is kept as a {@code String} (Latin-1, compact), as a {@code String}
 * that needs UTF-16, as a {@code char[]}, and as {@code byte[]}s in UTF-8, UTF-16BE and UTF-16LE.
 * {@code done} makes it print {@code holding <n>} and allocate nothing more, so a dump sees them
 * all. It ends when its input closes.
 */
public final class SecretHoldingJvm {

    /** Appended to a token for the String that must be stored in UTF-16. */
    static final String NOT_LATIN_1 = "\u20ac";

    static final List<Object> HELD = new ArrayList<>();

    private SecretHoldingJvm() {}

    public static void main(String[] args) throws IOException {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("ready");
        System.out.flush();
        int held = 0;
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("secret ")) {
                String token = new String(line.substring(7).trim());
                HELD.add(token);
                HELD.add(token + NOT_LATIN_1);
                HELD.add(token.toCharArray());
                HELD.add(token.getBytes(StandardCharsets.UTF_8));
                HELD.add(token.getBytes(StandardCharsets.UTF_16BE));
                HELD.add(token.getBytes(StandardCharsets.UTF_16LE));
                held++;
            } else if (line.equals("done")) {
                System.out.println("holding " + held);
                System.out.flush();
            }
        }
    }
}
