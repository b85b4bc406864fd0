package dev.dumpflow.analysis.redact;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds which of many byte patterns (each at least 8 bytes long, with distinct first 8 bytes) occur
 * in a dump, in one pass: the last 8 bytes seen are a long, looked up among the patterns' heads.
 */
final class TokenSearch {

    private final Map<Long, List<Pattern>> byHead = new HashMap<>();
    private final boolean[] maybe = new boolean[1 << 20];

    record Pattern(String label, byte[] bytes) {}

    /** Searches for every token in Latin-1/UTF-8, UTF-16LE and UTF-16BE. */
    static TokenSearch forTokens(List<String> tokens) {
        TokenSearch search = new TokenSearch();
        for (String token : tokens) {
            search.add(token, "UTF-8", StandardCharsets.UTF_8);
            search.add(token, "UTF-16LE", StandardCharsets.UTF_16LE);
            search.add(token, "UTF-16BE", StandardCharsets.UTF_16BE);
        }
        return search;
    }

    private void add(String token, String encoding, Charset charset) {
        add(new Pattern(token + " in " + encoding, token.getBytes(charset)));
    }

    void add(Pattern pattern) {
        long head = head(pattern.bytes, 0);
        byHead.computeIfAbsent(head, h -> new ArrayList<>()).add(pattern);
        maybe[slot(head)] = true;
    }

    /** The labels of the patterns found in {@code data}, sorted. */
    Set<String> foundIn(byte[] data) {
        Set<String> found = new TreeSet<>();
        long window = 0;
        for (int i = 0; i < data.length; i++) {
            window = (window << 8) | (data[i] & 0xff);
            if (i < 7 || !maybe[slot(window)]) {
                continue;
            }
            List<Pattern> candidates = byHead.get(window);
            if (candidates == null) {
                continue;
            }
            int start = i - 7;
            for (Pattern p : candidates) {
                if (start + p.bytes.length <= data.length
                        && java.util.Arrays.equals(
                                data, start, start + p.bytes.length, p.bytes, 0, p.bytes.length)) {
                    found.add(p.label);
                }
            }
        }
        return found;
    }

    int size() {
        return byHead.values().stream().mapToInt(List::size).sum();
    }

    private static long head(byte[] bytes, int at) {
        long head = 0;
        for (int i = 0; i < 8; i++) {
            head = (head << 8) | (bytes[at + i] & 0xff);
        }
        return head;
    }

    private static int slot(long head) {
        long h = head * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 44);
    }
}
