package dev.dumpflow.sidecar.capture.dotnet;

import java.util.Locale;

/** The dump types of the diagnostics IPC dump commands, with their wire values. */
public enum DotnetDumpType {
    /** Stacks and module lists, no heap. */
    NORMAL(1),
    /** Normal plus the GC heap: what a memory investigation needs. */
    WITH_HEAP(2),
    /** A small dump for triage, with personal data removed. */
    TRIAGE(3),
    /** All process memory. */
    FULL(4);

    private final int wire;

    DotnetDumpType(int wire) {
        this.wire = wire;
    }

    /** The {@code uint dumpType} sent in the payload. */
    public int wire() {
        return wire;
    }

    /** Parses {@code Normal}, {@code WithHeap}, {@code Triage} or {@code Full}, any case. */
    public static DotnetDumpType parse(String text) {
        String t = text.strip().replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
        return switch (t) {
            case "normal", "mini" -> NORMAL;
            case "withheap", "heap" -> WITH_HEAP;
            case "triage" -> TRIAGE;
            case "full" -> FULL;
            default ->
                    throw new IllegalArgumentException(
                            "DUMPFLOW_DOTNET_DUMP_TYPE='"
                                    + text
                                    + "' is invalid. Accepted: Normal, WithHeap, Triage, Full");
        };
    }
}
