package dev.dumpflow.analysis;

/**
 * What the parse keeps about one class: enough to name it and to size its instances, plus its
 * tallies. One per class, never one per object.
 */
final class ClassInfo {

    /** Marks a class whose objects are instances, not arrays. */
    static final int NOT_ARRAY = 0;

    private static final byte[] NONE = new byte[0];

    final long id;
    long nameId;
    long superId;
    boolean dumped;

    /** HPROF basic types of the class's own instance fields, super classes excluded. */
    byte[] fieldTypes = NONE;

    /** HPROF basic types of the class's static fields, which live in its {@code Class} mirror. */
    byte[] staticTypes = NONE;

    /** The element size of a primitive array class, or {@link #NOT_ARRAY}. */
    int primitiveElementSize = NOT_ARRAY;

    /** A name fixed by the parser itself, for the primitive array classes. */
    String fixedName;

    long instances;

    /**
     * Arrays only: how their lengths fall, so that sizes can be summed once the layout is known.
     * Created by {@link ClassCatalog#lengths}, which counts it against the budget.
     */
    ArrayLengths lengths;

    /** Instances only: the smallest positive address step from one of them to the next object. */
    long smallestStep = Long.MAX_VALUE;

    ClassInfo(long id) {
        this.id = id;
    }

    void classDump(long superId, byte[] staticTypes, byte[] fieldTypes) {
        this.superId = superId;
        this.staticTypes = staticTypes;
        this.fieldTypes = fieldTypes;
        this.dumped = true;
    }
}
