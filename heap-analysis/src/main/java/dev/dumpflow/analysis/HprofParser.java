package dev.dumpflow.analysis;

import java.io.IOException;

/**
 * Reads an HPROF file's header and top-level records in one pass, handing heap dumps to a {@link
 * HeapDumpReader} and skipping by length whatever a histogram does not need.
 */
final class HprofParser {

    private static final String MAGIC = "JAVA PROFILE 1.0";
    private static final int LONGEST_HEADER = 64;

    private static final int UTF8 = 0x01;
    private static final int LOAD_CLASS = 0x02;
    private static final int HEAP_DUMP = 0x0c;
    private static final int HEAP_DUMP_SEGMENT = 0x1c;
    private static final int HEAP_DUMP_END = 0x2c;

    private final HprofInput in;
    private final HeapCensus census;
    private final byte[] kept = new byte[StringArena.LONGEST_KEPT];
    private int idSize;
    private boolean sawHeapDump;
    private boolean inSegments;

    HprofParser(HprofInput in, HeapCensus census) {
        this.in = in;
        this.census = census;
    }

    /**
     * Reads the header. Returns the id size, or throws {@link HprofFormatException} when this is
     * not an HPROF file.
     */
    int readHeader() throws IOException {
        StringBuilder version = new StringBuilder();
        for (int c = in.u1(); c != 0; c = in.u1()) {
            if (version.length() == LONGEST_HEADER) {
                throw HprofFormatException.corrupt("no HPROF header", 0);
            }
            version.append((char) c);
        }
        if (!version.toString().startsWith(MAGIC)) {
            throw HprofFormatException.corrupt("no HPROF header", 0);
        }
        idSize = (int) in.u4();
        if (idSize != 4 && idSize != 8) {
            throw HprofFormatException.corrupt("an identifier size of " + idSize, in.offset() - 4);
        }
        in.u8(); // the dump's time stamp
        return idSize;
    }

    /**
     * Reads every record to the end of the stream. Returns null when the dump is complete, or what
     * is missing when it ended cleanly between records but is still incomplete.
     */
    String readRecords() throws IOException {
        HeapDumpReader heap = new HeapDumpReader(in, idSize, census);
        while (!in.atEnd()) {
            int tag = in.u1();
            in.skip(4); // microseconds since the header's time stamp
            long length = in.u4();
            switch (tag) {
                case UTF8 -> utf8(length);
                case LOAD_CLASS -> loadClass(length);
                case HEAP_DUMP -> {
                    sawHeapDump = true;
                    heap.read(length);
                }
                case HEAP_DUMP_SEGMENT -> {
                    sawHeapDump = true;
                    inSegments = true;
                    heap.read(length);
                }
                case HEAP_DUMP_END -> {
                    inSegments = false;
                    in.skip(length);
                }
                default -> in.skip(length);
            }
        }
        if (!sawHeapDump) {
            return "the file holds no heap dump";
        }
        return inSegments ? "the dump ends before its HEAP_DUMP_END record" : null;
    }

    /**
     * Keeps a string's first bytes and passes over the rest: HotSpot's symbols are at most 65,535
     * bytes, but a hostile dump may declare strings of gigabytes, which must cost no more.
     */
    private void utf8(long length) throws IOException {
        if (length < idSize) {
            throw HprofFormatException.corrupt(
                    "a string record of " + length + " bytes", in.offset());
        }
        long id = in.id(idSize);
        long size = length - idSize;
        int keep = (int) Math.min(size, kept.length);
        in.read(kept, keep);
        in.skip(size - keep);
        census.catalog.string(id, kept, keep, keep < size);
    }

    private void loadClass(long length) throws IOException {
        long expected = 8L + 2L * idSize;
        if (length < expected) {
            throw HprofFormatException.corrupt(
                    "a class record of " + length + " bytes", in.offset());
        }
        in.skip(4); // class serial number
        ClassInfo type = census.catalog.byId(in.id(idSize));
        in.skip(4); // stack trace serial number
        type.nameId = in.id(idSize);
        in.skip(length - expected);
    }
}
