package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The format of a dump file, as its magic bytes tell it. */
public enum DumpFormat {
    /** A JVM heap dump ({@code JAVA PROFILE 1.0.x}). */
    HPROF("hprof"),
    /** A gzipped JVM heap dump, as {@code GC.heap_dump -gz=N} writes it. */
    HPROF_GZ("hprof-gz"),
    /** A .NET dump (a minidump, or an ELF core written by createdump). */
    DOTNET("dotnet"),
    /** An ELF core file. */
    CORE("core"),
    /** Anything else. */
    UNKNOWN("unknown");

    private final String wire;

    DumpFormat(String wire) {
        this.wire = wire;
    }

    /** The value as it appears in JSON, and in object keys. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Parses the JSON value. */
    @JsonCreator
    public static DumpFormat of(String wire) {
        return Wire.parse(DumpFormat.class, values(), wire, DumpFormat::wire);
    }
}
