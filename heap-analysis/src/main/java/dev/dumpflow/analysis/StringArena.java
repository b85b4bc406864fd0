package dev.dumpflow.analysis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The dump's UTF-8 strings, packed in one growing array. HotSpot writes every symbol of the JVM
 * (method names and signatures too, often hundreds of thousands), before the class records that say
 * which of them name classes; packing costs four bytes a string instead of an object each.
 */
final class StringArena {

    /** Past this, strings are no longer kept; classes they would have named stay unnamed. */
    private static final int LARGEST = Integer.MAX_VALUE - 16;

    private byte[] data = new byte[1 << 20];
    private int size;

    /** Stores the string and returns where, or -1 when the arena is full. */
    int add(byte[] utf8) {
        long needed = (long) size + 4 + utf8.length;
        if (needed > LARGEST) {
            return -1;
        }
        if (needed > data.length) {
            data = Arrays.copyOf(data, (int) Math.min(LARGEST, Math.max(needed, 2L * data.length)));
        }
        int at = size;
        data[at] = (byte) (utf8.length >>> 24);
        data[at + 1] = (byte) (utf8.length >>> 16);
        data[at + 2] = (byte) (utf8.length >>> 8);
        data[at + 3] = (byte) utf8.length;
        System.arraycopy(utf8, 0, data, at + 4, utf8.length);
        size = (int) needed;
        return at;
    }

    String get(int at) {
        int length =
                (data[at] & 0xff) << 24
                        | (data[at + 1] & 0xff) << 16
                        | (data[at + 2] & 0xff) << 8
                        | data[at + 3] & 0xff;
        return new String(data, at + 4, length, StandardCharsets.UTF_8);
    }
}
