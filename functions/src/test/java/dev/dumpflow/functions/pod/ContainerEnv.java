package dev.dumpflow.functions.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;

/** Reads and changes a parsed container's environment, as a scenario adapts a manifest. */
final class ContainerEnv {

    private ContainerEnv() {}

    /** The plain value of a variable the container sets; fails when it sets none. */
    static String get(Container c, String name) {
        return c.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow()
                .getValue();
    }

    /** Sets a variable, replacing what the manifest gave it. */
    static void set(Container c, String name, String value) {
        c.getEnv().removeIf(e -> e.getName().equals(name));
        c.getEnv().add(new EnvVar(name, value, null));
    }
}
