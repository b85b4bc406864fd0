package dev.dumpflow.cli;

import java.util.Map;
import java.util.Optional;

/**
 * The bearer token sent to the gate, with where it came from, so that a refusal can name the source
 * to fix. The value is never printed.
 *
 * @param value the token, or empty when none was found (the gate then decides: the local stack's
 *     gate allows everything, a cluster's answers 401)
 * @param origin where it came from, for example {@code DUMPFLOW_TOKEN}, or why there is none
 */
record Token(Optional<String> value, String origin) {

    /**
     * The token from {@code --token}, then {@code DUMPFLOW_TOKEN}, then the current kubeconfig
     * context's user ({@code KUBECONFIG}'s first file, else {@code ~/.kube/config}).
     *
     * @param flag the value of {@code --token}, or null
     * @param env the environment
     * @param kubeconfig the kubeconfig of {@link Kubeconfig#location}
     * @throws CliFailure when the kubeconfig names a user whose token comes from a plugin
     */
    static Token resolve(String flag, Map<String, String> env, Kubeconfig kubeconfig)
            throws CliFailure {
        if (flag != null && !flag.isBlank()) {
            return new Token(Optional.of(flag.strip()), "--token");
        }
        String fromEnv = env.get("DUMPFLOW_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Token(Optional.of(fromEnv.strip()), "DUMPFLOW_TOKEN");
        }
        Optional<Token> fromKubeconfig = kubeconfig.token();
        if (fromKubeconfig.isPresent()) {
            return fromKubeconfig.get();
        }
        return new Token(
                Optional.empty(),
                "no token was found: not in --token, DUMPFLOW_TOKEN or the current context of "
                        + kubeconfig.file());
    }

    @Override
    public String toString() {
        return "Token[origin=" + origin + "]";
    }
}
