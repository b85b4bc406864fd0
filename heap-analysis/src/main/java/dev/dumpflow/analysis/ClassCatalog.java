package dev.dumpflow.analysis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every class the dump mentions, and the UTF-8 strings that may name them. Its size grows with the
 * number of classes and strings, never with the number of objects, and each part is taken from its
 * cap of the memory budget before it is allocated.
 */
final class ClassCatalog {

    /**
     * What one class costs beyond its field types and array lengths: the {@link ClassInfo} (about
     * 80 bytes), its slot in the list, and its field layout and map entry when the summary sizes
     * it.
     */
    static final long CLASS_BYTES = 192;

    /** An {@link ArrayLengths}: 256 counters and a sum, with their object and array headers. */
    static final long ARRAY_LENGTHS_BYTES = ArrayLengths.RESIDUES * Long.BYTES + 48;

    private static final byte[] RESOLVED_REFERENCES =
            "<resolved_references>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INIT_LOCK = "<init_lock>".getBytes(StandardCharsets.US_ASCII);

    private final MemoryBudget budget;
    private final IdIndex classIndex;
    private final List<ClassInfo> classes = new ArrayList<>();
    private final IdIndex stringIndex;
    private final StringArena strings;
    private final ClassInfo[] primitiveArrays = new ClassInfo[HprofType.LONG + 1];
    private final long[] pseudoStatics = {-1, -1};
    private int pseudoStaticCount;

    ClassCatalog(MemoryBudget budget) {
        this.budget = budget;
        this.classIndex = new IdIndex(1 << 10, budget);
        this.stringIndex = new IdIndex(1 << 12, budget);
        this.strings = new StringArena(budget);
        for (int type = HprofType.BOOLEAN; type <= HprofType.LONG; type++) {
            ClassInfo info = new ClassInfo(0);
            info.fixedName = HprofType.javaName(type) + "[]";
            info.primitiveElementSize = HprofType.size(type, 0);
            primitiveArrays[type] = info;
            classes.add(info);
        }
    }

    /** The class with this id, created on first mention: instances may precede their class dump. */
    ClassInfo byId(long id) {
        int index = classIndex.get(id);
        if (index >= 0) {
            return classes.get(index);
        }
        budget.take(AnalysisCap.CLASSES, CLASS_BYTES);
        ClassInfo info = new ClassInfo(id);
        classIndex.put(id, classes.size());
        classes.add(info);
        return info;
    }

    /** Records a class dump's super class and field types, counting the field types' bytes. */
    void classDump(ClassInfo type, long superId, byte[] staticTypes, byte[] fieldTypes) {
        budget.take(
                AnalysisCap.CLASSES,
                arrayBytes(staticTypes)
                        + arrayBytes(fieldTypes)
                        - arrayBytes(type.staticTypes)
                        - arrayBytes(type.fieldTypes));
        type.classDump(superId, staticTypes, fieldTypes);
    }

    /** The array lengths of an array class, counted when the class's first array is. */
    ArrayLengths lengths(ClassInfo type) {
        if (type.lengths == null) {
            budget.take(AnalysisCap.CLASSES, ARRAY_LENGTHS_BYTES);
            type.lengths = new ArrayLengths();
        }
        return type.lengths;
    }

    /** The class with this id if the dump declared it, or null. */
    ClassInfo find(long id) {
        int index = classIndex.get(id);
        return index < 0 ? null : classes.get(index);
    }

    /** The pseudo-class counting primitive arrays of an HPROF basic type. */
    ClassInfo primitiveArray(int type) {
        return primitiveArrays[type];
    }

    /**
     * Keeps a string record: its first {@code length} bytes in {@code utf8}, {@code cut} when the
     * record held more (see {@link StringArena#LONGEST_KEPT}).
     */
    void string(long id, byte[] utf8, int length, boolean cut) {
        stringIndex.put(id, strings.add(utf8, length, cut));
        if (!cut && (names(utf8, length, RESOLVED_REFERENCES) || names(utf8, length, INIT_LOCK))) {
            pseudoStatics[pseudoStaticCount++ & 1] = id;
        }
    }

    private static boolean names(byte[] utf8, int length, byte[] name) {
        return Arrays.equals(utf8, 0, length, name, 0, name.length);
    }

    /** The heap an array of {@code bytes} takes: a 16-byte header, rounded to 8. */
    private static long arrayBytes(byte[] bytes) {
        return bytes.length == 0 ? 0 : (16L + bytes.length + 7) & ~7L;
    }

    /**
     * Whether a static field of this name is one HotSpot's dumper adds to show what a class holds
     * outside its mirror ({@code <resolved_references>}, {@code <init_lock>}): it takes no room in
     * the mirror.
     */
    boolean isPseudoStatic(long nameId) {
        return pseudoStaticCount > 0 && (nameId == pseudoStatics[0] || nameId == pseudoStatics[1]);
    }

    List<ClassInfo> classes() {
        return classes;
    }

    /**
     * Whether the class's name as Java prints it is {@code javaName}, a class name without array
     * brackets. Only a name of the same length is decoded: the JVM's internal form of such a name
     * is as long in UTF-8, and a dump of many classes with long names must not decode them all.
     */
    boolean isNamed(ClassInfo info, String javaName) {
        if (info.fixedName != null) {
            return info.fixedName.equals(javaName);
        }
        int index = info.nameId == 0 ? -1 : stringIndex.get(info.nameId);
        return index >= 0
                && strings.length(index) == javaName.getBytes(StandardCharsets.UTF_8).length
                && javaName(info).equals(javaName);
    }

    /**
     * The class's name as Java prints it, or a placeholder naming its id when the dump lacks it; a
     * name longer than {@link StringArena#LONGEST_KEPT} bytes ends in an ellipsis where it was cut.
     */
    String javaName(ClassInfo info) {
        if (info.fixedName != null) {
            return info.fixedName;
        }
        int index = info.nameId == 0 ? -1 : stringIndex.get(info.nameId);
        if (index < 0) {
            return "<unnamed class 0x" + Long.toHexString(info.id) + ">";
        }
        String name = ClassNames.forPeople(strings.get(index));
        if (strings.cut(index)) {
            // Kept cut (a name no JVM writes): say so, rather than pass it off as the name.
            return name + "\u2026";
        }
        return name.isBlank() ? "<blank class name 0x" + Long.toHexString(info.id) + ">" : name;
    }
}
