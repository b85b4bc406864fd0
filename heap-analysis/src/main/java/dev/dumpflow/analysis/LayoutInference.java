package dev.dumpflow.analysis;

import dev.dumpflow.events.HeapSummary.HeapLayout;

/**
 * Decides the object layout a dump was taken under, from the address evidence, unless the settings
 * fix an element. Without usable evidence it assumes HotSpot's default on a 64-bit heap below 32
 * GiB: 4-byte references, 12-byte instance and 16-byte array headers, 8-byte alignment.
 */
final class LayoutInference {

    private static final int[] ARRAY_HEADERS = {12, 16, 20, 24};
    private static final int DEFAULT_REFERENCE = 4;
    private static final int DEFAULT_ARRAY_HEADER = 16;
    private static final int DEFAULT_ALIGNMENT = 8;
    private static final int LARGEST_ALIGNMENT = 256;
    private static final long NARROW_REFERENCE_EXCESS = 16;

    private LayoutInference() {}

    static HeapLayout infer(int idSize, AddressEvidence evidence, AnalysisSettings settings) {
        long lowestBit = Long.lowestOneBit(evidence.addressBits());
        boolean addresses = idsAreAddresses(evidence);
        int alignment =
                settings.alignment().orElse(addresses ? (int) lowestBit : DEFAULT_ALIGNMENT);
        int referenceSize =
                settings.referenceSize().orElse(referenceSize(idSize, evidence, addresses));
        int arrayHeader = settings.arrayHeaderSize().orElse(arrayHeader(evidence, addresses));
        int objectHeader = settings.objectHeaderSize().orElse(objectHeaderFor(arrayHeader));
        boolean allConfigured =
                settings.alignment().isPresent()
                        && settings.referenceSize().isPresent()
                        && settings.arrayHeaderSize().isPresent()
                        && settings.objectHeaderSize().isPresent();
        return new HeapLayout(
                idSize, referenceSize, objectHeader, arrayHeader, alignment, !allConfigured);
    }

    /**
     * Whether object ids look like aligned addresses, as HotSpot writes them. Ids that are not
     * (another producer's counters) say nothing of layout.
     */
    static boolean idsAreAddresses(AddressEvidence evidence) {
        long lowestBit = Long.lowestOneBit(evidence.addressBits());
        return lowestBit >= DEFAULT_ALIGNMENT && lowestBit <= LARGEST_ALIGNMENT;
    }

    private static int referenceSize(int idSize, AddressEvidence evidence, boolean addresses) {
        if (idSize == 4) {
            return 4;
        }
        if (!addresses || evidence.objectArraySamples() == 0) {
            return DEFAULT_REFERENCE;
        }
        return evidence.smallestObjectArrayExcess() < NARROW_REFERENCE_EXCESS ? 4 : 8;
    }

    private static int arrayHeader(AddressEvidence evidence, boolean addresses) {
        long excess = evidence.smallestByteArrayExcess();
        if (!addresses || excess < ARRAY_HEADERS[0] || excess == Long.MAX_VALUE) {
            return DEFAULT_ARRAY_HEADER;
        }
        int header = ARRAY_HEADERS[0];
        for (int candidate : ARRAY_HEADERS) {
            if (candidate <= excess) {
                header = candidate;
            }
        }
        return header;
    }

    /**
     * The instance header that goes with an array header: compact headers (12) drop the class word
     * into the mark word (8); compressed class pointers (16) give 12; full class pointers (20, or
     * 24 before JDK 22) give 16.
     */
    static int objectHeaderFor(int arrayHeader) {
        return arrayHeader <= 12 ? 8 : arrayHeader <= 16 ? 12 : 16;
    }
}
