package dev.dumpflow.sidecar.dumpdir;

import dev.dumpflow.sidecar.memory.ProcFiles;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the entries of {@code DUMPFLOW_PROCESS_DUMP_DIRS} into directories of one process, as the
 * process sees them: {@code cwd} from {@code /proc/<pid>/cwd}, {@code auto} from the JVM's own
 * {@code -XX:HeapDumpPath}.
 */
final class ProcessDirResolver {

    private static final String HEAP_DUMP_PATH = "-XX:HeapDumpPath=";

    private final ProcFiles proc;

    ProcessDirResolver(ProcFiles proc) {
        this.proc = proc;
    }

    /** The directories to watch in the process, absolute, as it sees them; none it cannot tell. */
    Set<Path> resolve(long pid, List<ProcessDumpDir> entries) {
        Set<Path> dirs = new LinkedHashSet<>();
        for (ProcessDumpDir entry : entries) {
            switch (entry) {
                case ProcessDumpDir.Fixed fixed -> dirs.add(fixed.path());
                case ProcessDumpDir.WorkingDirectory cwd ->
                        proc.workingDirectory(pid).ifPresent(dirs::add);
                case ProcessDumpDir.HeapDumpPath auto -> heapDumpDir(pid).ifPresent(dirs::add);
            }
        }
        return dirs;
    }

    /**
     * The directory the JVM writes its OOM dump to. HotSpot reads {@code JAVA_TOOL_OPTIONS} first,
     * then the launcher's {@code JDK_JAVA_OPTIONS} and the command line, then {@code
     * _JAVA_OPTIONS}; the last {@code -XX:HeapDumpPath} wins. A path naming a directory gets {@code
     * java_pid<pid>.hprof} inside it; any other names the file. Without one, or relative, the dump
     * goes to (or under) the working directory.
     */
    private Optional<Path> heapDumpDir(long pid) {
        Map<String, String> env = proc.environment(pid);
        List<String> options = new ArrayList<>();
        options.addAll(words(env.get("JAVA_TOOL_OPTIONS")));
        options.addAll(words(env.get("JDK_JAVA_OPTIONS")));
        options.addAll(proc.arguments(pid));
        options.addAll(words(env.get("_JAVA_OPTIONS")));
        String given = null;
        for (String option : options) {
            if (option.startsWith(HEAP_DUMP_PATH)) {
                given = option.substring(HEAP_DUMP_PATH.length());
            }
        }
        Optional<Path> cwd = proc.workingDirectory(pid);
        if (given == null || given.isEmpty()) {
            return cwd;
        }
        Path path = Path.of(given);
        if (!path.isAbsolute()) {
            if (cwd.isEmpty()) {
                return Optional.empty();
            }
            path = cwd.get().resolve(path);
        }
        path = path.normalize();
        if (Files.isDirectory(proc.insideRoot(pid, path.toString()), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(path);
        }
        return Optional.ofNullable(path.getParent());
    }

    private static List<String> words(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.strip().split("\\s+"));
    }
}
