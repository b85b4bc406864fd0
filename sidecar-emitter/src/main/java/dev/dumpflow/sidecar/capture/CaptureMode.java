package dev.dumpflow.sidecar.capture;

import dev.dumpflow.events.ProcessRuntime;
import java.util.Locale;

/** How dumps are taken ({@code DUMPFLOW_CAPTURE}). */
public enum CaptureMode {
    /** Never: thresholds only warn. */
    OFF,
    /** JVMs, through the JDK Attach API. */
    JVM,
    /** .NET processes, through the diagnostics IPC protocol. */
    DOTNET,
    /** Whichever of the two the process runs. */
    AUTO;

    /** Whether a process of this runtime is captured. */
    public boolean covers(ProcessRuntime runtime) {
        return switch (this) {
            case OFF -> false;
            case JVM -> runtime == ProcessRuntime.JVM;
            case DOTNET -> runtime == ProcessRuntime.DOTNET;
            case AUTO -> runtime == ProcessRuntime.JVM || runtime == ProcessRuntime.DOTNET;
        };
    }

    /** Parses {@code off}, {@code jvm}, {@code dotnet} or {@code auto}. */
    public static CaptureMode parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "DUMPFLOW_CAPTURE='" + text + "' is invalid. Accepted: off, jvm, dotnet, auto",
                    e);
        }
    }
}
