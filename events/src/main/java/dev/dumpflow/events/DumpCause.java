package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a dump was written. */
public enum DumpCause {
    /** The runtime wrote it on OutOfMemoryError ({@code java_pid<pid>.hprof}). */
    OOM("oom"),
    /** The sidecar captured it because a memory threshold was crossed. */
    THRESHOLD("threshold"),
    /** Somebody asked for it. */
    MANUAL("manual"),
    /** Nothing tells. */
    UNKNOWN("unknown");

    private final String wire;

    DumpCause(String wire) {
        this.wire = wire;
    }

    /** The value as it appears in JSON. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Parses the JSON value. */
    @JsonCreator
    public static DumpCause of(String wire) {
        return Wire.parse(DumpCause.class, values(), wire, DumpCause::wire);
    }
}
