package dev.dumpflow.sidecar.memory;

import dev.dumpflow.sidecar.config.DurationText;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How the memory watch runs, read once from the environment.
 *
 * @param thresholds {@code DUMPFLOW_THRESHOLDS}: the thresholds; default {@code 80%,95%} when the
 *     limit is known, else {@code 1Gi,x2}
 * @param limitBytes {@code DUMPFLOW_MEMORY_LIMIT_BYTES}: the app container's memory limit, if known
 * @param pollInterval {@code DUMPFLOW_POLL_INTERVAL}: how often memory is read; default 5s
 * @param processMatch {@code DUMPFLOW_PROCESS_MATCH}: a regular expression a command line must
 *     contain to be watched; empty = every process but the sidecar, the pause process and kernel
 *     threads
 */
public record MemoryConfig(
        ThresholdRule thresholds,
        OptionalLong limitBytes,
        Duration pollInterval,
        Optional<Pattern> processMatch) {

    static final Duration MIN_POLL = Duration.ofMillis(100);

    public MemoryConfig {
        if (thresholds == null || limitBytes == null || processMatch == null) {
            throw new IllegalArgumentException(
                    "thresholds, limitBytes and processMatch are required");
        }
        if (pollInterval == null || pollInterval.compareTo(MIN_POLL) < 0) {
            throw new IllegalArgumentException(
                    "DUMPFLOW_POLL_INTERVAL must be at least " + MIN_POLL.toMillis() + "ms");
        }
    }

    /**
     * Reads the configuration.
     *
     * @throws IllegalArgumentException naming the variable and its accepted forms
     */
    public static MemoryConfig fromEnv(Map<String, String> env) {
        OptionalLong limit = OptionalLong.empty();
        String limitText = blankToNull(env.get(ThresholdRule.LIMIT_VARIABLE));
        if (limitText != null) {
            long bytes;
            try {
                bytes = ByteSize.parse(limitText);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        ThresholdRule.LIMIT_VARIABLE + ": " + e.getMessage(), e);
            }
            if (bytes <= 0) {
                throw new IllegalArgumentException(
                        ThresholdRule.LIMIT_VARIABLE + " must be above zero, was " + limitText);
            }
            limit = OptionalLong.of(bytes);
        }
        String thresholdText = blankToNull(env.get(ThresholdRule.VARIABLE));
        if (thresholdText == null) {
            thresholdText = limit.isPresent() ? "80%,95%" : "1Gi,x2";
        }
        ThresholdRule rule = ThresholdRule.parse(thresholdText, limit);

        Duration poll = Duration.ofSeconds(5);
        String pollText = blankToNull(env.get("DUMPFLOW_POLL_INTERVAL"));
        if (pollText != null) {
            try {
                poll = DurationText.parse(pollText);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("DUMPFLOW_POLL_INTERVAL: " + e.getMessage(), e);
            }
        }
        Optional<Pattern> match = Optional.empty();
        String matchText = blankToNull(env.get("DUMPFLOW_PROCESS_MATCH"));
        if (matchText != null) {
            try {
                match = Optional.of(Pattern.compile(matchText));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "DUMPFLOW_PROCESS_MATCH must be a Java regular expression: "
                                + e.getMessage(),
                        e);
            }
        }
        return new MemoryConfig(rule, limit, poll, match);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
