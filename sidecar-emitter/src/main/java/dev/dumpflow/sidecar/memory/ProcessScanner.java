package dev.dumpflow.sidecar.memory;

import dev.dumpflow.events.ProcessRuntime;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Lists the processes worth watching in the shared PID namespace, with their memory.
 *
 * <p>Skipped: the sidecar itself, the pod's pause process (or podman's catatonit), kernel threads,
 * zombies, and command lines the optional match rejects. What it learnt about a process (command,
 * runtime) is kept per incarnation, so a poll reads little more than {@code stat} and {@code
 * status}.
 */
public final class ProcessScanner {

    private final ProcFiles proc;
    private final RuntimeDetector runtimes;
    private final Optional<Pattern> match;
    private final long selfPid;
    private final Map<Long, WatchedProcess> known = new HashMap<>();
    private final Map<Long, Incarnation> knownAs = new HashMap<>();
    private final Map<Long, Incarnation> ignored = new HashMap<>();
    private final Map<Long, Integer> lookedAgain = new HashMap<>();

    /**
     * How many polls an {@code other} process is looked at again: a JVM publishes its hsperfdata,
     * and .NET its socket, within moments of starting; looking forever costs idle CPU.
     */
    static final int REDETECT_POLLS = 12;

    /**
     * The runtime's bootstrap of a container starting in the shared PID namespace ({@code runc
     * init}, named {@code runc:[2:INIT]}): root's, for a moment, until it execs the container's
     * program under the same pid.
     */
    private static final String RUNC_INIT = "runc:[";

    /**
     * One program run by a process. {@code exec} keeps the pid and the start time but changes the
     * command (and {@code comm}): a child caught between fork and exec shows its parent's command
     * line, and an entrypoint shell becomes the JVM it execs. Keyed on the start time alone, such a
     * process would stay ignored, or stay the shell, for good.
     */
    private record Incarnation(long startTicks, String comm) {
        static Incarnation of(ProcFiles.Stat stat) {
            return new Incarnation(stat.startTicks(), stat.comm());
        }
    }

    public ProcessScanner(ProcFiles proc, Optional<Pattern> match, long selfPid) {
        this.proc = proc;
        this.runtimes = new RuntimeDetector(proc);
        this.match = match;
        this.selfPid = selfPid;
    }

    /** Every watched process with its current RSS. */
    public synchronized List<ProcessSample> scan() {
        List<ProcessSample> samples = new ArrayList<>();
        Map<Long, WatchedProcess> seen = new HashMap<>();
        Map<Long, Incarnation> stillIgnored = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc.root(), "[0-9]*")) {
            for (Path dir : dirs) {
                long pid = Long.parseLong(dir.getFileName().toString());
                Optional<ProcFiles.Stat> stat = proc.stat(pid);
                if (stat.isEmpty()) {
                    continue;
                }
                Incarnation now = Incarnation.of(stat.get());
                if (now.equals(ignored.get(pid))) {
                    stillIgnored.put(pid, now);
                    continue;
                }
                Optional<WatchedProcess> process = incarnation(pid, stat.get());
                if (process.isEmpty()) {
                    stillIgnored.put(pid, now);
                    continue;
                }
                OptionalLong rss = proc.rssBytes(pid);
                if (rss.isPresent()) {
                    seen.put(pid, process.get());
                    samples.add(new ProcessSample(process.get(), rss.getAsLong()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + proc.root(), e);
        }
        known.keySet().retainAll(seen.keySet());
        knownAs.keySet().retainAll(seen.keySet());
        lookedAgain.keySet().retainAll(seen.keySet());
        known.putAll(seen);
        ignored.clear();
        ignored.putAll(stillIgnored);
        return samples;
    }

    /** One process by pid, read afresh, if it is one the scanner would watch. */
    public synchronized Optional<ProcessSample> lookup(long pid) {
        Optional<ProcFiles.Stat> stat = proc.stat(pid);
        if (stat.isEmpty()) {
            return Optional.empty();
        }
        Optional<WatchedProcess> process = incarnation(pid, stat.get());
        OptionalLong rss = proc.rssBytes(pid);
        if (process.isEmpty() || rss.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProcessSample(process.get(), rss.getAsLong()));
    }

    private Optional<WatchedProcess> incarnation(long pid, ProcFiles.Stat stat) {
        WatchedProcess cached = known.get(pid);
        Incarnation now = Incarnation.of(stat);
        if (cached != null
                && cached.sameIncarnation(pid, stat.startTicks())
                && now.equals(knownAs.get(pid))) {
            int looks = lookedAgain.getOrDefault(pid, 0);
            if (cached.runtime() != ProcessRuntime.OTHER || looks >= REDETECT_POLLS) {
                return Optional.of(cached);
            }
            lookedAgain.put(pid, looks + 1);
            return Optional.of(withRuntime(cached, runtimes.detect(pid, cached.namespacePid())));
        }
        if (pid == selfPid || stat.kernelThread() || stat.state() == 'Z') {
            return Optional.empty();
        }
        // The pod's infra process: Kubernetes' pause, podman's catatonit. Nothing to watch, and
        // another UID's, whose file system a sidecar may not enter.
        if ("pause".equals(stat.comm())
                || "catatonit".equals(stat.comm())
                || stat.comm().startsWith(RUNC_INIT)) {
            return Optional.empty();
        }
        Optional<String> command = proc.commandLine(pid);
        if (command.isEmpty() || !matches(command.get())) {
            return Optional.empty();
        }
        long nsPid = namespacePid(pid);
        lookedAgain.remove(pid);
        knownAs.put(pid, now);
        return Optional.of(
                new WatchedProcess(
                        pid, nsPid, stat.startTicks(), command.get(), runtimes.detect(pid, nsPid)));
    }

    private boolean matches(String command) {
        return match.map(p -> p.matcher(command).find()).orElse(true);
    }

    private long namespacePid(long pid) {
        String nsPid = proc.status(pid).get("NSpid");
        if (nsPid == null || nsPid.isBlank()) {
            return pid;
        }
        String[] levels = nsPid.split("\\s+");
        return Long.parseLong(levels[levels.length - 1]);
    }

    private static WatchedProcess withRuntime(WatchedProcess p, ProcessRuntime runtime) {
        return runtime == p.runtime()
                ? p
                : new WatchedProcess(
                        p.pid(), p.namespacePid(), p.startTicks(), p.command(), runtime);
    }
}
