package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The runtime of a watched process. */
public enum ProcessRuntime {
    /** A Java virtual machine. */
    JVM("jvm"),
    /** A .NET runtime. */
    DOTNET("dotnet"),
    /** Anything else. */
    OTHER("other");

    private final String wire;

    ProcessRuntime(String wire) {
        this.wire = wire;
    }

    /** The value as it appears in JSON. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Parses the JSON value. */
    @JsonCreator
    public static ProcessRuntime of(String wire) {
        return Wire.parse(ProcessRuntime.class, values(), wire, ProcessRuntime::wire);
    }
}
