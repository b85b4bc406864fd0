package dev.dumpflow.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the two things the command needs from a kubeconfig: the static token of the current
 * context's user ({@code current-context} → {@code contexts[].context.user} → {@code
 * users[].user.token}) and the context's namespace. Exec credential plugins and auth providers are
 * not run: they would execute programs on the user's behalf, and a token from {@code kubectl create
 * token} does the same job.
 */
final class Kubeconfig {

    private final Path file;
    private final Map<?, ?> config;

    private Kubeconfig(Path file, Map<?, ?> config) {
        this.file = file;
        this.config = config;
    }

    /**
     * The kubeconfig at {@code file}; an empty one when the file does not exist.
     *
     * @throws CliFailure when the file exists but is not YAML
     */
    static Kubeconfig read(Path file) throws CliFailure {
        if (!Files.isRegularFile(file)) {
            return new Kubeconfig(file, Map.of());
        }
        try (Reader reader = Files.newBufferedReader(file)) {
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            return new Kubeconfig(file, loaded instanceof Map<?, ?> map ? map : Map.of());
        } catch (IOException | YAMLException e) {
            throw CliFailure.of(
                    CliFailure.Kind.USAGE,
                    "cannot read the kubeconfig " + file + ": " + e.getMessage(),
                    e);
        }
    }

    /** The first file of {@code KUBECONFIG}, else {@code ~/.kube/config}. */
    static Path location(Map<String, String> env) {
        String list = env.get("KUBECONFIG");
        if (list != null && !list.isBlank()) {
            // kubectl merges the list; the current context is normally set in the first file.
            return Path.of(list.split(java.io.File.pathSeparator)[0]);
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".kube", "config");
    }

    Path file() {
        return file;
    }

    /** The current context's namespace, if it names one. */
    Optional<String> namespace() {
        return currentContext()
                .map(context -> context.get("namespace"))
                .filter(String.class::isInstance)
                .map(String.class::cast);
    }

    /**
     * The current context's user token, if there is one.
     *
     * @throws CliFailure when the user gets its token from an exec plugin or an auth provider
     */
    Optional<Token> token() throws CliFailure {
        Optional<String> userName =
                currentContext()
                        .map(context -> context.get("user"))
                        .filter(String.class::isInstance)
                        .map(String.class::cast);
        if (userName.isEmpty()) {
            return Optional.empty();
        }
        Optional<Map<?, ?>> user = named("users", userName.get()).flatMap(e -> map(e, "user"));
        if (user.isEmpty()) {
            return Optional.empty();
        }
        if (user.get().get("token") instanceof String token && !token.isBlank()) {
            return Optional.of(
                    new Token(
                            Optional.of(token.strip()),
                            "the kubeconfig "
                                    + file
                                    + " (context "
                                    + config.get("current-context")
                                    + ", user "
                                    + userName.get()
                                    + ")"));
        }
        if (user.get().containsKey("exec") || user.get().containsKey("auth-provider")) {
            throw CliFailure.of(
                    CliFailure.Kind.UNAUTHORIZED,
                    "the kubeconfig "
                            + file
                            + " gets user "
                            + userName.get()
                            + "'s token from an exec plugin or auth provider, which dumpflow does"
                            + " not run; pass --token or set DUMPFLOW_TOKEN, for example to the"
                            + " output of 'kubectl create token <service-account>'");
        }
        return Optional.empty();
    }

    private Optional<Map<?, ?>> currentContext() {
        if (!(config.get("current-context") instanceof String name)) {
            return Optional.empty();
        }
        return named("contexts", name).flatMap(entry -> map(entry, "context"));
    }

    /** The entry of a kubeconfig list ({@code - name: x}) with the given name. */
    private Optional<Map<?, ?>> named(String list, String name) {
        if (!(config.get(list) instanceof List<?> entries)) {
            return Optional.empty();
        }
        return entries.stream()
                .filter(Map.class::isInstance)
                .<Map<?, ?>>map(entry -> (Map<?, ?>) entry)
                .filter(entry -> name.equals(entry.get("name")))
                .findFirst();
    }

    private static Optional<Map<?, ?>> map(Map<?, ?> entry, String key) {
        return entry.get(key) instanceof Map<?, ?> value
                ? Optional.<Map<?, ?>>of(value)
                : Optional.empty();
    }
}
