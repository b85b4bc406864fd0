package dev.dumpflow.analysis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The dump's UTF-8 strings, packed in pages of 64 KiB. HotSpot writes every symbol of the JVM
 * (method names and signatures too, often hundreds of thousands), before the class records that say
 * which of them name classes; packing costs two bytes a string instead of an object each. Pages are
 * taken from the {@link AnalysisCap#STRINGS} cap one at a time and never copied; the budget's 4 GiB
 * ceiling keeps their count within what a handle can address.
 */
final class StringArena {

    /**
     * The most bytes kept of one string. A class name needs far fewer; a longer string is kept cut,
     * so that a dump of huge strings costs no more than a dump of names.
     */
    static final int LONGEST_KEPT = 4096;

    private static final int PAGE_BITS = 16;
    private static final int PAGE = 1 << PAGE_BITS;
    private static final int CUT = 0x8000;

    private final MemoryBudget budget;
    private final List<byte[]> pages = new ArrayList<>();
    private byte[] page;
    private int used = PAGE;

    StringArena(MemoryBudget budget) {
        this.budget = budget;
    }

    /**
     * Stores the first {@code length} bytes of {@code utf8}, at most {@link #LONGEST_KEPT}, marked
     * {@code cut} when the string was longer, and returns where.
     */
    int add(byte[] utf8, int length, boolean cut) {
        if (length > LONGEST_KEPT) {
            throw new IllegalArgumentException("a string of " + length + " bytes is kept cut");
        }
        if (used + 2 + length > PAGE) {
            budget.take(AnalysisCap.STRINGS, PAGE);
            page = new byte[PAGE];
            pages.add(page);
            used = 0;
        }
        int header = length | (cut ? CUT : 0);
        page[used] = (byte) (header >>> 8);
        page[used + 1] = (byte) header;
        System.arraycopy(utf8, 0, page, used + 2, length);
        int at = (pages.size() - 1) << PAGE_BITS | used;
        used += 2 + length;
        return at;
    }

    /** The string stored at {@code at}, as much of it as was kept. */
    String get(int at) {
        return new String(
                pages.get(at >>> PAGE_BITS),
                (at & (PAGE - 1)) + 2,
                header(at) & ~CUT,
                StandardCharsets.UTF_8);
    }

    /** The bytes kept of the string stored at {@code at}. */
    int length(int at) {
        return header(at) & ~CUT;
    }

    /** Whether the string stored at {@code at} was longer than what was kept. */
    boolean cut(int at) {
        return (header(at) & CUT) != 0;
    }

    private int header(int at) {
        byte[] in = pages.get(at >>> PAGE_BITS);
        int offset = at & (PAGE - 1);
        return (in[offset] & 0xff) << 8 | in[offset + 1] & 0xff;
    }
}
