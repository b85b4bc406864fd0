package dev.dumpflow.sidecar.config;

/**
 * A configuration value the sidecar cannot start with. The message names the variable and the
 * accepted forms, so that a person can fix the manifest without reading code.
 */
public final class ConfigException extends IllegalArgumentException {

    private final String variable;

    private ConfigException(String variable, String message) {
        super(message);
        this.variable = variable;
    }

    /** A variable that is set to a value of the wrong form. */
    public static ConfigException invalid(String variable, String value, String accepted) {
        return new ConfigException(
                variable,
                "%s='%s' is not accepted; accepted: %s".formatted(variable, value, accepted));
    }

    /** A variable that must be set and is not. */
    public static ConfigException missing(String variable, String accepted) {
        return new ConfigException(
                variable, "%s is required and not set; accepted: %s".formatted(variable, accepted));
    }

    /** The environment variable at fault. */
    public String variable() {
        return variable;
    }
}
