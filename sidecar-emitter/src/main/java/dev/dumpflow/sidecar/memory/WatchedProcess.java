package dev.dumpflow.sidecar.memory;

import dev.dumpflow.events.ProcessRuntime;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One incarnation of a process in the shared PID namespace. A new pid or a new start time is a new
 * incarnation, with fresh thresholds.
 *
 * @param pid the pid as the sidecar sees it
 * @param namespacePid the pid inside the process's own PID namespace (the last {@code NSpid}); the
 *     name its runtime uses for its attach files and diagnostic socket
 * @param startTicks the start time in clock ticks since boot ({@code /proc/<pid>/stat} field 22)
 * @param command the command line, with secret-looking argument values redacted, shortened to
 *     {@value #MAX_COMMAND} characters
 * @param runtime the runtime detected
 */
public record WatchedProcess(
        long pid, long namespacePid, long startTicks, String command, ProcessRuntime runtime) {

    /** Command lines are cut to this length: events stay small. */
    public static final int MAX_COMMAND = 256;

    public WatchedProcess {
        if (pid <= 0 || namespacePid <= 0) {
            throw new IllegalArgumentException("pids must be positive");
        }
        if (command == null || runtime == null) {
            throw new IllegalArgumentException("command and runtime are required");
        }
        command = SecretArguments.redact(command);
        if (command.length() > MAX_COMMAND) {
            command = command.substring(0, MAX_COMMAND);
        }
    }

    /** Whether both name the same incarnation. */
    public boolean sameIncarnation(long otherPid, long otherStartTicks) {
        return pid == otherPid && startTicks == otherStartTicks;
    }

    /**
     * A stable key for the program this process runs, for capture limits: a crash-looping container
     * gets a new pid at every restart, and a key by pid would let a dump storm through. Hashed so
     * that the state file never holds a command line, which may carry secrets.
     */
    public String programKey() {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(command.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
