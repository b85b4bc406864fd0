package dev.dumpflow.sidecar.dumpdir;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import dev.dumpflow.sidecar.memory.ProcFiles;
import dev.dumpflow.sidecar.memory.ProcessListener;
import dev.dumpflow.sidecar.memory.WatchedProcess;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Follows the dump directories inside each watched process's own file system, {@code
 * /proc/<pid>/root/<dir>}, as the memory watch's polls report processes coming and going: no shared
 * volume needed. Each directory is watched with inotify on the watcher's one instance, or, where
 * inotify refuses it, listed at every poll; a directory that does not exist yet is looked for at
 * every poll. One directory reached through several processes of a container (a shell and its JVM)
 * is watched once, through whichever of them lives.
 *
 * <p>Entering {@code /proc/<pid>/root} follows ptrace rules: the sidecar needs the process's UID or
 * {@code CAP_SYS_PTRACE}. A process it may not enter is logged once, naming that right, and
 * counted.
 */
public final class ProcessDumpDirs implements ProcessListener {

    private static final System.Logger LOG = System.getLogger(ProcessDumpDirs.class.getName());

    private final List<ProcessDumpDir> entries;
    private final List<Path> extraDirs;
    private final ProcFiles proc;
    private final ProcessDirResolver resolver;
    private final DumpDirWatcher watcher;
    private final SidecarMetrics metrics;
    private final Map<Long, Process> processes = new HashMap<>();
    private final Map<Object, SharedDir> dirs = new HashMap<>();

    /**
     * A watched process: its incarnation, its directories watched, and those not found yet. The
     * directories are resolved again at every poll: a container's entrypoint shell that execs the
     * JVM keeps its pid, but only then has the JVM's {@code -XX:HeapDumpPath}.
     */
    private record Process(
            long startTicks,
            String command,
            boolean refused,
            Set<Path> attached,
            Set<Path> missing) {

        /** Whether {@code p} is still this program: exec keeps the pid and the start time. */
        boolean sameAs(WatchedProcess p) {
            return p.startTicks() == startTicks && p.command().equals(command);
        }
    }

    /** One directory, the paths it is reached by (one per process), and its inotify watch. */
    private static final class SharedDir {
        private final Map<Long, Path> byPid = new LinkedHashMap<>();
        private OptionalInt watch = OptionalInt.empty();
    }

    ProcessDumpDirs(
            List<ProcessDumpDir> entries,
            List<Path> extraDirs,
            ProcFiles proc,
            DumpDirWatcher watcher,
            SidecarMetrics metrics) {
        this.entries = List.copyOf(entries);
        this.extraDirs = List.copyOf(extraDirs);
        this.proc = proc;
        this.resolver = new ProcessDirResolver(proc);
        this.watcher = watcher;
        this.metrics = metrics;
    }

    @Override
    public synchronized void seen(List<WatchedProcess> alive) {
        Map<Long, WatchedProcess> now = new HashMap<>();
        alive.forEach(p -> now.put(p.pid(), p));
        for (Long pid : new ArrayList<>(processes.keySet())) {
            WatchedProcess p = now.get(pid);
            if (p == null || !processes.get(pid).sameAs(p)) {
                leave(pid);
            }
        }
        for (WatchedProcess p : alive) {
            if (!processes.containsKey(p.pid())) {
                enter(p);
            } else {
                resolveAgain(p.pid());
            }
            lookForMissing(p.pid());
        }
        for (SharedDir d : dirs.values()) {
            Path reached = d.byPid.values().iterator().next();
            if (d.watch.isPresent() && !watcher.watching(d.watch.getAsInt())) {
                // The kernel dropped the watch (IN_IGNORED) while the directory is still followed,
                // as when a restarted container reuses the directory: watch it again, and list
                // it once for what came meanwhile.
                d.watch = watcher.watch(reached);
                watcher.scan(reached);
            } else if (d.watch.isEmpty()) {
                watcher.scan(reached);
            }
        }
    }

    private void enter(WatchedProcess p) {
        Path root = proc.dir(p.pid()).resolve("root");
        try {
            Files.readAttributes(root, BasicFileAttributes.class);
        } catch (AccessDeniedException refused) {
            metrics.processRootRefused();
            LOG.log(
                    WARNING,
                    "pid {0} ({1}): may not enter its file system at {2}, so its dumps are not"
                            + " seen. /proc/<pid>/root follows ptrace rules: run the sidecar as"
                            + " the application''s UID, or grant it CAP_SYS_PTRACE",
                    Long.toString(p.pid()),
                    p.command(),
                    root);
            processes.put(
                    p.pid(), new Process(p.startTicks(), p.command(), true, Set.of(), Set.of()));
            return;
        } catch (IOException gone) {
            return; // exited meanwhile; the next poll will not list it
        }
        Set<Path> wanted = wanted(p.pid());
        processes.put(
                p.pid(), new Process(p.startTicks(), p.command(), false, new HashSet<>(), wanted));
        LOG.log(
                INFO,
                "pid {0}: watching {1} inside its own file system",
                Long.toString(p.pid()),
                wanted);
    }

    private Set<Path> wanted(long pid) {
        Set<Path> wanted = new HashSet<>(resolver.resolve(pid, entries));
        wanted.addAll(extraDirs);
        return wanted;
    }

    private void resolveAgain(long pid) {
        Process p = processes.get(pid);
        if (p.refused()) {
            return;
        }
        for (Path dir : wanted(pid)) {
            if (!p.attached().contains(dir) && p.missing().add(dir)) {
                LOG.log(
                        INFO,
                        "pid {0}: watching {1} inside its own file system as well",
                        Long.toString(pid),
                        dir);
            }
        }
    }

    private void lookForMissing(long pid) {
        Process p = processes.get(pid);
        if (p == null || p.refused() || p.missing().isEmpty()) {
            return;
        }
        p.missing()
                .removeIf(
                        dir -> {
                            boolean found = attach(pid, dir);
                            if (found) {
                                p.attached().add(dir);
                            }
                            return found;
                        });
    }

    /** Watches the directory as reached through the process; false while it does not exist. */
    private boolean attach(long pid, Path dir) {
        Path reached = proc.insideRoot(pid, dir.toString());
        Object identity;
        try {
            // Not followed: a link's absolute target would resolve in the sidecar's namespace.
            BasicFileAttributes attributes =
                    Files.readAttributes(
                            reached, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isDirectory()) {
                return false;
            }
            identity = attributes.fileKey();
        } catch (IOException notYet) {
            return false;
        }
        SharedDir shared = dirs.get(identity);
        if (shared == null) {
            shared = new SharedDir();
            dirs.put(identity, shared);
            shared.byPid.put(pid, reached);
            shared.watch = watcher.watch(reached);
            LOG.log(DEBUG, "watching {0}", reached);
            watcher.scan(reached);
        } else {
            shared.byPid.put(pid, reached);
        }
        return true;
    }

    private void leave(long pid) {
        processes.remove(pid);
        var empty = new ArrayList<Object>();
        dirs.forEach(
                (identity, shared) -> {
                    if (shared.byPid.remove(pid) == null) {
                        return;
                    }
                    if (shared.byPid.isEmpty()) {
                        shared.watch.ifPresent(watcher::unwatch);
                        empty.add(identity);
                    } else {
                        Path other = shared.byPid.values().iterator().next();
                        shared.watch.ifPresent(wd -> watcher.repoint(wd, other));
                    }
                });
        empty.forEach(dirs::remove);
    }
}
