package dev.dumpflow.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

/** The GC-root sub-record tags of HPROF (HotSpot's and Android's), and their names in a summary. */
final class GcRootKinds {

    static final int JNI_GLOBAL = 0x01;
    static final int JNI_LOCAL = 0x02;
    static final int JAVA_FRAME = 0x03;
    static final int NATIVE_STACK = 0x04;
    static final int STICKY_CLASS = 0x05;
    static final int THREAD_BLOCK = 0x06;
    static final int MONITOR_USED = 0x07;
    static final int THREAD_OBJECT = 0x08;
    static final int INTERNED_STRING = 0x89;
    static final int FINALIZING = 0x8a;
    static final int DEBUGGER = 0x8b;
    static final int REFERENCE_CLEANUP = 0x8c;
    static final int VM_INTERNAL = 0x8d;
    static final int JNI_MONITOR = 0x8e;
    static final int UNREACHABLE = 0x90;
    static final int UNKNOWN = 0xff;

    private GcRootKinds() {}

    /** Counts by kind name, for the tags that occurred, from counts indexed by tag. */
    static Map<String, Long> named(long[] countsByTag) {
        Map<String, Long> named = new LinkedHashMap<>();
        for (int tag = 0; tag < countsByTag.length; tag++) {
            if (countsByTag[tag] > 0) {
                named.put(name(tag), countsByTag[tag]);
            }
        }
        return named;
    }

    static String name(int tag) {
        return switch (tag) {
            case JNI_GLOBAL -> "jni-global";
            case JNI_LOCAL -> "jni-local";
            case JAVA_FRAME -> "java-frame";
            case NATIVE_STACK -> "native-stack";
            case STICKY_CLASS -> "sticky-class";
            case THREAD_BLOCK -> "thread-block";
            case MONITOR_USED -> "monitor-used";
            case THREAD_OBJECT -> "thread-object";
            case INTERNED_STRING -> "interned-string";
            case FINALIZING -> "finalizing";
            case DEBUGGER -> "debugger";
            case REFERENCE_CLEANUP -> "reference-cleanup";
            case VM_INTERNAL -> "vm-internal";
            case JNI_MONITOR -> "jni-monitor";
            case UNREACHABLE -> "unreachable";
            case UNKNOWN -> "unknown";
            default -> "tag-0x" + Integer.toHexString(tag);
        };
    }
}
