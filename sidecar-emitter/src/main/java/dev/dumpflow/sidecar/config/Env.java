package dev.dumpflow.sidecar.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed reads of the sidecar's environment. Every feature's configuration record parses its own
 * variables through this, so that every wrong value fails the same way: a {@link ConfigException}
 * naming the variable and its accepted forms.
 */
public final class Env {

    /** The accepted forms of a duration, as error messages show them. */
    public static final String DURATION_FORMS = DurationText.POSITIVE_FORMS;

    private final Map<String, String> values;

    private Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Reads from the given variables, for example {@code System.getenv()}. */
    public static Env of(Map<String, String> values) {
        return new Env(values);
    }

    /** The value, trimmed, if the variable is set and not blank. */
    public Optional<String> optional(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The value, or the fallback. */
    public String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    /** The value; fails naming the variable when it is absent. */
    public String required(String name, String accepted) {
        return optional(name).orElseThrow(() -> ConfigException.missing(name, accepted));
    }

    /**
     * Parses the value with a function that throws on a wrong form; fails naming the variable and
     * the accepted forms.
     */
    public <T> Optional<T> parsed(String name, String accepted, Function<String, T> parser) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(raw.get()));
        } catch (RuntimeException wrongForm) {
            throw ConfigException.invalid(name, raw.get(), accepted);
        }
    }

    /** A TCP port, 1 to 65535, or 0 for any free port. */
    public int port(String name, int fallback) {
        String accepted = "a TCP port number from 1 to 65535, or 0 for any free port";
        return parsed(
                        name,
                        accepted,
                        raw -> {
                            int port = Integer.parseInt(raw);
                            if (port < 0 || port > 65535) {
                                throw new IllegalArgumentException("out of range");
                            }
                            return port;
                        })
                .orElse(fallback);
    }

    /** A positive duration, in short ({@code 6h}) or ISO-8601 ({@code PT6H}) form. */
    public Duration duration(String name, Duration fallback) {
        return parsed(name, DURATION_FORMS, DurationText::parsePositive).orElse(fallback);
    }

    /** A whole number from 1 up to the given maximum. */
    public int positiveInt(String name, int fallback, int max) {
        String accepted = "a whole number from 1 to " + max;
        return parsed(
                        name,
                        accepted,
                        raw -> {
                            int n = Integer.parseInt(raw);
                            if (n < 1 || n > max) {
                                throw new IllegalArgumentException("out of range");
                            }
                            return n;
                        })
                .orElse(fallback);
    }

    /** A positive duration, or {@code off}: empty when switched off, the fallback when unset. */
    public Optional<Duration> durationOrOff(String name, Duration fallback) {
        String accepted = DURATION_FORMS + "; or off";
        return parsed(
                        name,
                        accepted,
                        raw ->
                                raw.equalsIgnoreCase("off")
                                        ? Optional.<Duration>empty()
                                        : Optional.of(DurationText.parsePositive(raw)))
                .orElse(Optional.of(fallback));
    }

    /** An absolute http or https URL. */
    public URI httpUrl(String name) {
        String accepted = "an absolute http or https URL, for example http://broker-ingress/ns/b";
        required(name, accepted);
        return parsed(
                        name,
                        accepted,
                        value -> {
                            URI uri = URI.create(value);
                            String scheme = uri.getScheme();
                            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                                throw new IllegalArgumentException("scheme");
                            }
                            if (uri.getHost() == null) {
                                throw new IllegalArgumentException("host");
                            }
                            return uri;
                        })
                .orElseThrow();
    }
}
