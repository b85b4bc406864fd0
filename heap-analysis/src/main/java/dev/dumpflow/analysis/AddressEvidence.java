package dev.dumpflow.analysis;

/**
 * What object addresses say about the heap's layout. HotSpot dumps use addresses as object ids and
 * writes each region's objects in address order, so the step from one object to the next is at
 * least the first object's size, and exactly that size when nothing lies between them. A few minima
 * over those steps reveal the reference size, the array header and the alignment.
 */
final class AddressEvidence {

    private static final int INSTANCE = 0;
    private static final int OBJECT_ARRAY = 1;
    private static final int PRIMITIVE_ARRAY = 2;

    /** Object arrays shorter than this say too little about reference size. */
    private static final long SHORTEST_TELLING_ARRAY = 4;

    private long addressBits;
    private ClassInfo previous;
    private long previousAddress;
    private int previousKind;
    private long previousLength;

    private long smallestObjectArrayExcess = Long.MAX_VALUE;
    private long objectArraySamples;
    private long smallestByteArrayExcess = Long.MAX_VALUE;

    void instance(long address, ClassInfo type) {
        step(address);
        remember(address, type, INSTANCE, 0);
    }

    void objectArray(long address, ClassInfo type, long length) {
        step(address);
        remember(address, type, OBJECT_ARRAY, length);
    }

    void primitiveArray(long address, ClassInfo type, long length) {
        step(address);
        remember(address, type, PRIMITIVE_ARRAY, length);
    }

    private void remember(long address, ClassInfo type, int kind, long length) {
        previous = type;
        previousAddress = address;
        previousKind = kind;
        previousLength = length;
    }

    private void step(long address) {
        addressBits |= address;
        long step = address - previousAddress;
        if (previous == null || step <= 0) {
            return;
        }
        switch (previousKind) {
            case INSTANCE -> {
                if (step < previous.smallestStep) {
                    previous.smallestStep = step;
                }
            }
            case OBJECT_ARRAY -> {
                if (previousLength >= SHORTEST_TELLING_ARRAY) {
                    objectArraySamples++;
                    smallestObjectArrayExcess =
                            Math.min(smallestObjectArrayExcess, step - 8 * previousLength);
                }
            }
            default -> {
                if (previous.primitiveElementSize == 1) {
                    smallestByteArrayExcess =
                            Math.min(smallestByteArrayExcess, step - previousLength);
                }
            }
        }
    }

    /** The OR of every object address: its lowest set bit bounds the alignment. */
    long addressBits() {
        return addressBits;
    }

    /**
     * The smallest {@code step - 8 * length} over object arrays: below 16 only when references are
     * narrower than 8 bytes, since an 8-byte-reference array takes at least 16 header bytes plus 8
     * per element.
     */
    long smallestObjectArrayExcess() {
        return smallestObjectArrayExcess;
    }

    long objectArraySamples() {
        return objectArraySamples;
    }

    /**
     * The smallest {@code step - length} over byte and boolean arrays: the array header plus the
     * smallest padding seen, which is the header itself once enough arrays were seen.
     */
    long smallestByteArrayExcess() {
        return smallestByteArrayExcess;
    }
}
