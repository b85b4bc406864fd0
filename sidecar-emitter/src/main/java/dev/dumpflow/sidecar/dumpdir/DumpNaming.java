package dev.dumpflow.sidecar.dumpdir;

import dev.dumpflow.events.DumpCause;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a dump's file name tells: the cause and the pid. The JVM names its OOM dump {@code
 * java_pid<pid>.hprof}; the sidecar names its own captures so that the closed-file path can tell
 * them apart.
 */
public final class DumpNaming {

    private static final Pattern JVM_OOM =
            Pattern.compile("java_pid(\\d+)\\.hprof(\\.gz)?(\\.\\d+)?");

    /** createdump's default {@code coredump.<pid>}, and dotnet-dump's {@code core_<stamp>}. */
    private static final Pattern DOTNET =
            Pattern.compile("coredump\\.(\\d+)|core_\\d{8}_\\d{6}(\\.dmp)?|.+\\.dmp");

    /**
     * Names of files still in the making: the JVM's parallel heap-dump pieces ({@code <dump>.p<N>},
     * merged into {@code <dump>} at the end and deleted), and common temporary suffixes.
     */
    private static final Pattern IN_THE_MAKING =
            Pattern.compile(".*(\\.p\\d+|\\.tmp|\\.temp|\\.part|\\.partial|\\.swp|~)");

    private static final Pattern DUMP_NAME =
            Pattern.compile(".+\\.(hprof|hprof\\.gz|dmp)(\\.\\d+)?|core(\\.\\d+)?");

    private static final Pattern CAPTURE =
            Pattern.compile("dumpflow_(threshold|manual)_pid(\\d+)_\\d{8}T\\d{6}Z\\..+");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private DumpNaming() {}

    /**
     * The file name for a dump the sidecar captures itself, for example {@code
     * dumpflow_threshold_pid42_20261122T034912Z.hprof}.
     */
    public static String captureFileName(DumpCause cause, long pid, Instant at, String extension) {
        if (cause != DumpCause.THRESHOLD && cause != DumpCause.MANUAL) {
            throw new IllegalArgumentException("the sidecar captures for threshold or manual only");
        }
        return "dumpflow_%s_pid%d_%s.%s".formatted(cause.wire(), pid, STAMP.format(at), extension);
    }

    /** The cause the name tells, or {@link DumpCause#UNKNOWN}. */
    public static DumpCause causeOf(String fileName) {
        if (JVM_OOM.matcher(fileName).matches()) {
            return DumpCause.OOM;
        }
        Matcher capture = CAPTURE.matcher(fileName);
        if (capture.matches()) {
            return DumpCause.of(capture.group(1));
        }
        return DumpCause.UNKNOWN;
    }

    /**
     * Whether a file of this name may be a finished dump: not hidden, and not a temporary piece of
     * one still being made.
     */
    public static boolean mayBeADump(String fileName) {
        return !fileName.isEmpty()
                && !fileName.startsWith(".")
                && !IN_THE_MAKING.matcher(fileName).matches();
    }

    /**
     * Whether the name is one a dump usually has: the JVM's, the sidecar's captures, {@code
     * .hprof}, {@code .dmp}, cores. In a process's own directories such a file is held open from
     * its creation; another file is looked at only once closed.
     */
    public static boolean hasADumpName(String fileName) {
        return DUMP_NAME.matcher(fileName).matches()
                || JVM_OOM.matcher(fileName).matches()
                || CAPTURE.matcher(fileName).matches()
                || DOTNET.matcher(fileName).matches();
    }

    /** Whether the name is one .NET's dump tools give (createdump, dotnet-dump). */
    public static boolean looksDotnet(String fileName) {
        return DOTNET.matcher(fileName).matches();
    }

    /** The pid the name tells, if any. */
    public static OptionalLong pidOf(String fileName) {
        Matcher oom = JVM_OOM.matcher(fileName);
        if (oom.matches()) {
            return OptionalLong.of(Long.parseLong(oom.group(1)));
        }
        Matcher capture = CAPTURE.matcher(fileName);
        if (capture.matches()) {
            return OptionalLong.of(Long.parseLong(capture.group(2)));
        }
        Matcher dotnet = DOTNET.matcher(fileName);
        if (dotnet.matches() && dotnet.group(1) != null) {
            return OptionalLong.of(Long.parseLong(dotnet.group(1)));
        }
        return OptionalLong.empty();
    }
}
