package dev.dumpflow.sidecar.config;

import dev.dumpflow.events.PodIdentity;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the pod identity the Downward API puts in the environment. Outside Kubernetes every part
 * has a local default, so the sidecar also runs on a workstation. The events refuse names that no
 * cluster could hold, so a value of the wrong form stops start-up naming its variable, and the
 * host-name default is made into a name Kubernetes would take.
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

    /**
     * Which variable gives which field, as the events name the fields in their messages; {@code
     * pod.namespace} before {@code pod.name}, whose name it starts with.
     */
    private static final Map<String, String> FIELDS = fields();

    private PodEnv() {}

    /**
     * The pod identity, with local defaults for what is not set.
     *
     * @throws ConfigException naming the variable whose value Kubernetes would not allow
     */
    public static PodIdentity fromEnv(Env env) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(NAMESPACE, env.string(NAMESPACE, "local"));
        values.put(NAME, env.optional(NAME).orElseGet(PodEnv::hostName));
        values.put(UID, env.optional(UID).orElse(null));
        values.put(NODE, env.optional(NODE).orElse(null));
        values.put(CONTAINER, env.string(CONTAINER, "app"));
        try {
            return new PodIdentity(
                    values.get(NAMESPACE),
                    values.get(NAME),
                    values.get(UID),
                    values.get(NODE),
                    values.get(CONTAINER),
                    null,
                    Map.of());
        } catch (IllegalArgumentException refused) {
            String variable =
                    FIELDS.entrySet().stream()
                            .filter(f -> refused.getMessage().startsWith(f.getKey()))
                            .map(Map.Entry::getValue)
                            .findFirst()
                            .orElse(NAME);
            throw ConfigException.invalid(
                    variable,
                    String.valueOf(values.get(variable)),
                    "what Kubernetes allows (the Downward API gives it): " + refused.getMessage());
        }
    }

    /**
     * A host name as a pod name would be: lower case, with any character a DNS-1123 subdomain does
     * not take as {@code -}, for example {@code Johns-MacBook.local} as {@code
     * johns-macbook.local}.
     */
    static String podNameOf(String host) {
        String name =
                host.toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9.-]", "-")
                        .replaceAll("\\.+", ".")
                        .replaceAll("-*\\.-*", ".")
                        .replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
        if (name.length() > 253) {
            name = name.substring(0, 253).replaceAll("[^a-z0-9]+$", "");
        }
        return name.isEmpty() ? "localhost" : name;
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return podNameOf(fromEnv);
        }
        try {
            return podNameOf(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException unresolvable) {
            return "localhost";
        }
    }

    private static Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("pod.namespace", NAMESPACE);
        fields.put("pod.name", NAME);
        fields.put("pod.uid", UID);
        fields.put("pod.node", NODE);
        fields.put("pod.container", CONTAINER);
        return fields;
    }
}
