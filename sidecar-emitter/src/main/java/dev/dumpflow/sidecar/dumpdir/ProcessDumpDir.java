package dev.dumpflow.sidecar.dumpdir;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One entry of {@code DUMPFLOW_PROCESS_DUMP_DIRS}: a directory as each watched process sees it,
 * reached through {@code /proc/<pid>/root}.
 */
public sealed interface ProcessDumpDir {

    /** The accepted forms, as error messages show them. */
    String FORMS =
            "a comma-separated list of absolute paths as the application sees them, cwd (its"
                    + " working directory) or auto (the directory of its -XX:HeapDumpPath, else its"
                    + " working directory), for example /tmp,auto";

    /** A fixed path, such as {@code /tmp}. */
    record Fixed(Path path) implements ProcessDumpDir {
        public Fixed {
            if (path == null || !path.isAbsolute()) {
                throw new IllegalArgumentException("an absolute path is needed");
            }
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** The process's working directory. */
    record WorkingDirectory() implements ProcessDumpDir {
        @Override
        public String toString() {
            return "cwd";
        }
    }

    /** Where the JVM's own {@code -XX:HeapDumpPath} sends its OOM dump, else its working dir. */
    record HeapDumpPath() implements ProcessDumpDir {
        @Override
        public String toString() {
            return "auto";
        }
    }

    /** Parses the variable's value; throws on a wrong entry. */
    static List<ProcessDumpDir> parseList(String raw) {
        List<ProcessDumpDir> dirs =
                Arrays.stream(raw.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .map(ProcessDumpDir::parse)
                        .distinct()
                        .toList();
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return dirs;
    }

    private static ProcessDumpDir parse(String entry) {
        return switch (entry) {
            case "cwd" -> new WorkingDirectory();
            case "auto" -> new HeapDumpPath();
            default -> {
                try {
                    yield new Fixed(Path.of(entry).normalize());
                } catch (InvalidPathException bad) {
                    throw new IllegalArgumentException(bad);
                }
            }
        };
    }
}
