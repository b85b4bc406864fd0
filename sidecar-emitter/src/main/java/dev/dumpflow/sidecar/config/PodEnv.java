package dev.dumpflow.sidecar.config;

import dev.dumpflow.events.PodIdentity;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Reads the pod identity the Downward API puts in the environment. Outside Kubernetes every part
 * has a local default, so the sidecar also runs on a workstation.
 */
public final class PodEnv {

    /** {@code metadata.name}; default the host name. */
    public static final String NAME = "POD_NAME";

    /** {@code metadata.namespace}; default {@code local}. */
    public static final String NAMESPACE = "POD_NAMESPACE";

    /** {@code metadata.uid}; default none. */
    public static final String UID = "POD_UID";

    /** {@code spec.nodeName}; default none. */
    public static final String NODE = "NODE_NAME";

    /** The application container whose dumps these are; default {@code app}. */
    public static final String CONTAINER = "CONTAINER_NAME";

    private PodEnv() {}

    /** The pod identity, with local defaults for what is not set. */
    public static PodIdentity fromEnv(Env env) {
        return new PodIdentity(
                env.string(NAMESPACE, "local"),
                env.optional(NAME).orElseGet(PodEnv::hostName),
                env.optional(UID).orElse(null),
                env.optional(NODE).orElse(null),
                env.string(CONTAINER, "app"),
                null,
                Map.of());
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException unresolvable) {
            return "localhost";
        }
    }
}
