package dev.dumpflow.analysis;

import dev.dumpflow.events.HeapSummary.HeapLayout;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Sizes instances and {@code Class} mirrors under a layout, from the field types of each class and
 * its super classes. Layouts are computed once per class and shared down the hierarchy.
 */
final class InstanceSizes {

    /** Deeper chains than this can only come from a corrupt dump whose super ids loop. */
    private static final int DEEPEST_HIERARCHY = 512;

    /**
     * HotSpot's injected fields add at most two words to a class; a larger surplus means the next
     * object was not adjacent.
     */
    private static final long LARGEST_OMITTED_FIELDS = 16;

    /**
     * {@code java.lang.Class} has the most injected fields (its klass and array klass pointers, oop
     * size, static oop count, source file...): 32 bytes on JDK 25. Its only instances in a dump are
     * the primitive-type mirrors, allocated one after another at start-up.
     */
    private static final long LARGEST_OMITTED_CLASS_FIELDS = 64;

    private final ClassCatalog catalog;
    private final HeapLayout layout;
    private final boolean addressesAreSizes;
    private final Map<ClassInfo, FieldLayout> layouts = new IdentityHashMap<>();

    private ClassInfo classClass;

    /** Names the class of {@code Class} mirrors, whose size evidence is weighed differently. */
    void classClass(ClassInfo type) {
        this.classClass = type;
    }

    InstanceSizes(ClassCatalog catalog, HeapLayout layout, boolean addressesAreSizes) {
        this.catalog = catalog;
        this.layout = layout;
        this.addressesAreSizes = addressesAreSizes;
    }

    /**
     * The shallow size of one instance of {@code type}: its field layout, corrected by the address
     * evidence. A step to the next object never undercuts the true size, so a smaller step proves
     * the computation too large; a step a little larger, seen again and again, is the JVM's fields
     * the dump omits (HotSpot injects some, such as {@code Thread}'s and {@code Module}'s).
     */
    long instanceSize(ClassInfo type) {
        long computed = ArraySizes.align(fieldLayout(type, 0).end(), layout.alignment());
        long step = type.smallestStep;
        if (!addressesAreSizes || step == Long.MAX_VALUE || step % layout.alignment() != 0) {
            return computed;
        }
        long omittable = type == classClass ? LARGEST_OMITTED_CLASS_FIELDS : LARGEST_OMITTED_FIELDS;
        return step < computed || step - computed <= omittable ? step : computed;
    }

    /**
     * The size of {@code type}'s {@code Class} mirror: a {@code java.lang.Class} instance whose
     * static fields follow its own, laid out the same way.
     */
    long mirrorSize(ClassInfo type, long classInstanceSize) {
        if (type.staticTypes.length == 0) {
            return classInstanceSize;
        }
        FieldLayout statics =
                FieldLayout.empty((int) classInstanceSize)
                        .withStatics(type.staticTypes, layout.referenceSize());
        return ArraySizes.align(ArraySizes.align(statics.end(), 8), layout.alignment());
    }

    private FieldLayout fieldLayout(ClassInfo type, int depth) {
        FieldLayout known = layouts.get(type);
        if (known != null) {
            return known;
        }
        ClassInfo superType = type.superId == 0 ? null : catalog.find(type.superId);
        FieldLayout start =
                superType == null || superType == type || depth > DEEPEST_HIERARCHY
                        ? FieldLayout.empty(layout.objectHeaderSize())
                        : fieldLayout(superType, depth + 1);
        FieldLayout result = start.with(type.fieldTypes, layout.referenceSize());
        layouts.put(type, result);
        return result;
    }
}
