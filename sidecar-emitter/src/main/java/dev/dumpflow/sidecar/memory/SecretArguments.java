package dev.dumpflow.sidecar.memory;

import java.util.regex.Pattern;

/**
 * Hides the values of command-line arguments that look like secrets ({@code -Ddb.password=hunter2},
 * {@code --api-token=abc}, {@code --secret abc}), because the command line goes into threshold
 * events, which must never carry a secret.
 */
final class SecretArguments {

    static final String REDACTED = "<redacted>";

    private static final String SECRET_NAME =
            "[\\w.-]*(?:pass(?:word|wd)?|secret|token|api[_.-]?key|credential|private[_.-]?key"
                    + "|access[_.-]?key)[\\w.-]*";

    /** {@code name=value}, as in {@code -Dx.password=v} or {@code --token=v}. */
    private static final Pattern ASSIGNED = Pattern.compile("(?i)(" + SECRET_NAME + "=)(\\S+)");

    /** {@code --name value}: a flag named like a secret followed by its value. */
    private static final Pattern FLAG_THEN_VALUE =
            Pattern.compile("(?i)((?:^|\\s)--?" + SECRET_NAME + ")(\\s+)(?!-)(\\S+)");

    private SecretArguments() {}

    static String redact(String commandLine) {
        String assigned = ASSIGNED.matcher(commandLine).replaceAll("$1" + REDACTED);
        return FLAG_THEN_VALUE.matcher(assigned).replaceAll("$1$2" + REDACTED);
    }
}
