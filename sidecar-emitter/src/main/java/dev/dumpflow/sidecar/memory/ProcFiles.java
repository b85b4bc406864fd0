package dev.dumpflow.sidecar.memory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the few {@code /proc/<pid>} files the memory watch needs. Every method answers empty when
 * the process is gone or unreadable: processes come and go between two reads.
 */
public final class ProcFiles {

    /** {@code PF_KTHREAD} in {@code /proc/<pid>/stat} flags: a kernel thread. */
    private static final long PF_KTHREAD = 0x00200000L;

    private final Path proc;

    public ProcFiles(Path proc) {
        this.proc = proc;
    }

    /** The usual {@code /proc}. */
    public static ProcFiles system() {
        return new ProcFiles(Path.of("/proc"));
    }

    /** The {@code /proc} directory itself. */
    public Path root() {
        return proc;
    }

    /** The directory of one process. */
    public Path dir(long pid) {
        return proc.resolve(Long.toString(pid));
    }

    /**
     * The parts of {@code /proc/<pid>/stat} the watch uses.
     *
     * @param comm the executable's short name
     * @param state the state letter ({@code Z} = zombie)
     * @param kernelThread whether it is a kernel thread
     * @param startTicks the start time in clock ticks since boot
     */
    public record Stat(String comm, char state, boolean kernelThread, long startTicks) {}

    /** The process's stat line, parsed. */
    public Optional<Stat> stat(long pid) {
        Optional<String> text = read(dir(pid).resolve("stat"));
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String line = text.get();
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            return Optional.empty();
        }
        // The command name may hold spaces and parentheses: split only what follows its ')'.
        String[] fields = line.substring(close + 2).trim().split(" ");
        if (fields.length < 20) {
            return Optional.empty();
        }
        try {
            long flags = Long.parseLong(fields[6]);
            return Optional.of(
                    new Stat(
                            line.substring(open + 1, close),
                            fields[0].charAt(0),
                            (flags & PF_KTHREAD) != 0,
                            Long.parseLong(fields[19])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The command line with its arguments joined by spaces; empty for kernel threads. */
    public Optional<String> commandLine(long pid) {
        return read(dir(pid).resolve("cmdline"))
                .map(s -> s.replace('\0', ' ').strip())
                .filter(s -> !s.isEmpty());
    }

    /** The command line's arguments, as given (an argument may hold spaces). */
    public List<String> arguments(long pid) {
        return read(dir(pid).resolve("cmdline"))
                .map(s -> s.endsWith("\0") ? s.substring(0, s.length() - 1) : s)
                .filter(s -> !s.isEmpty())
                .map(s -> List.of(s.split("\0", -1)))
                .orElse(List.of());
    }

    /** The working directory as the process sees it, if the link is readable. */
    public Optional<Path> workingDirectory(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(dir(pid).resolve("cwd")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The first argument of the command line. */
    public Optional<String> argv0(long pid) {
        return read(dir(pid).resolve("cmdline"))
                .map(s -> s.indexOf('\0') >= 0 ? s.substring(0, s.indexOf('\0')) : s)
                .filter(s -> !s.isEmpty());
    }

    /** The fields of {@code /proc/<pid>/status}, name to value. */
    public Map<String, String> status(long pid) {
        Map<String, String> fields = new HashMap<>();
        read(dir(pid).resolve("status"))
                .ifPresent(
                        text ->
                                text.lines()
                                        .forEach(
                                                l -> {
                                                    int colon = l.indexOf(':');
                                                    if (colon > 0) {
                                                        fields.put(
                                                                l.substring(0, colon),
                                                                l.substring(colon + 1).strip());
                                                    }
                                                }));
        return fields;
    }

    /**
     * The resident set size in bytes: {@code VmRSS} of {@code status}, or {@code Rss} of {@code
     * smaps_rollup} where status lacks it.
     */
    public OptionalLong rssBytes(long pid) {
        OptionalLong fromStatus = kiloBytes(status(pid).get("VmRSS"));
        if (fromStatus.isPresent()) {
            return fromStatus;
        }
        return read(dir(pid).resolve("smaps_rollup"))
                .flatMap(t -> t.lines().filter(l -> l.startsWith("Rss:")).findFirst())
                .map(l -> kiloBytes(l.substring(4).strip()))
                .orElse(OptionalLong.empty());
    }

    /** The process's environment, name to value; empty when unreadable (another user). */
    public Map<String, String> environment(long pid) {
        Map<String, String> env = new HashMap<>();
        read(dir(pid).resolve("environ"))
                .ifPresent(
                        text -> {
                            for (String entry : text.split("\0")) {
                                int eq = entry.indexOf('=');
                                if (eq > 0) {
                                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                                }
                            }
                        });
        return env;
    }

    /** The executable's path as the process sees it, if the link is readable. */
    public Optional<Path> executable(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(dir(pid).resolve("exe")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * A path inside the process's own root file system ({@code /proc/<pid>/root/...}), where the
     * runtime keeps its attach files and sockets.
     */
    public Path insideRoot(long pid, String absolutePath) {
        return dir(pid).resolve("root").resolve(absolutePath.replaceFirst("^/+", ""));
    }

    private static OptionalLong kiloBytes(String value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        String digits = value.replace("kB", "").strip();
        try {
            return OptionalLong.of(Long.parseLong(digits) * 1024);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
