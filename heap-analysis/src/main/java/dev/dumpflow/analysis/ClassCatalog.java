package dev.dumpflow.analysis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every class the dump mentions, and the UTF-8 strings that may name them. Its size grows with the
 * number of classes and strings, never with the number of objects.
 */
final class ClassCatalog {

    private static final byte[] RESOLVED_REFERENCES =
            "<resolved_references>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INIT_LOCK = "<init_lock>".getBytes(StandardCharsets.US_ASCII);

    private final IdIndex classIndex = new IdIndex(4096);
    private final List<ClassInfo> classes = new ArrayList<>();
    private final IdIndex stringIndex = new IdIndex(1 << 16);
    private final StringArena strings = new StringArena();
    private final ClassInfo[] primitiveArrays = new ClassInfo[HprofType.LONG + 1];
    private final long[] pseudoStatics = {-1, -1};
    private int pseudoStaticCount;

    ClassCatalog() {
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
        ClassInfo info = new ClassInfo(id);
        classIndex.put(id, classes.size());
        classes.add(info);
        return info;
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

    void string(long id, byte[] utf8) {
        int at = strings.add(utf8);
        if (at >= 0) {
            stringIndex.put(id, at);
        }
        if (Arrays.equals(utf8, RESOLVED_REFERENCES) || Arrays.equals(utf8, INIT_LOCK)) {
            pseudoStatics[pseudoStaticCount++ & 1] = id;
        }
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
     * The class's name as Java prints it, or a placeholder naming its id when the dump lacks it.
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
        return name.isBlank() ? "<blank class name 0x" + Long.toHexString(info.id) + ">" : name;
    }
}
