package dev.dumpflow.analysis.redact;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM the redaction oracle dumps. It reads tokens from standard input, one per line, then holds
 * each in every form a secret takes in a heap, prints {@code HOLDING} and waits for its input to
 * close. A second line of input after the tokens gives two numbers it keeps in primitive fields.
 */
public final class TokenHolder {

    /** Holds primitive secrets in an instance field and a static field. */
    static final class Vault {
        static long staticSecret;
        final long secret;
        final Object next;

        Vault(long secret, Object next) {
            this.secret = secret;
            this.next = next;
        }
    }

    static final List<Object> HELD = new ArrayList<>();

    private TokenHolder() {}

    public static void main(String[] args) throws Exception {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("LISTENING");
        int count = Integer.parseInt(in.readLine().trim());
        for (int i = 0; i < count; i++) {
            String token = in.readLine();
            HELD.add(new String(token.toCharArray())); // a Latin-1 String
            HELD.add(token + "\u20ac"); // a UTF-16 String: its byte[] is little-endian here
            HELD.add(token.toCharArray()); // char[]: big-endian UTF-16 in the dump
            HELD.add(token.getBytes(StandardCharsets.UTF_8));
            HELD.add(token.getBytes(StandardCharsets.UTF_16LE));
            HELD.add(token.getBytes(StandardCharsets.UTF_16BE));
        }
        String[] secrets = in.readLine().trim().split(" ");
        HELD.add(new Vault(Long.parseLong(secrets[0]), HELD));
        Vault.staticSecret = Long.parseLong(secrets[1]);
        System.out.println("HOLDING");
        while (in.readLine() != null) {
            // Stay alive, holding everything, until the test closes our input.
        }
    }
}
