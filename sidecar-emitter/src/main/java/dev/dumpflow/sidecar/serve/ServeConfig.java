package dev.dumpflow.sidecar.serve;

import dev.dumpflow.sidecar.config.Env;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How the file server listens and how fetch links are made.
 *
 * @param port {@code DUMPFLOW_PORT}: the file server's port; default 8787
 * @param advertiseHost {@code DUMPFLOW_ADVERTISE_HOST}: the host put in fetch URLs; default the
 *     {@code POD_IP} variable (Downward API {@code status.podIP}), else this host's address
 * @param tokenTtl {@code DUMPFLOW_TOKEN_TTL}: how long a dump's fetch token works after the
 *     announcement; default 6h
 * @param limits how many transfers and connections it grants, and how long it waits for a client
 * @param maxHeldFiles {@code DUMPFLOW_MAX_HELD_FILES}: descriptors held on dump files at once, in
 *     every stage ({@link HeldFiles}); default 256
 */
public record ServeConfig(
        int port, String advertiseHost, Duration tokenTtl, ServeLimits limits, int maxHeldFiles) {

    /** See {@link #port()}. */
    public static final String PORT = "DUMPFLOW_PORT";

    /** See {@link #advertiseHost()}. */
    public static final String ADVERTISE_HOST = "DUMPFLOW_ADVERTISE_HOST";

    /** See {@link #tokenTtl()}. */
    public static final String TOKEN_TTL = "DUMPFLOW_TOKEN_TTL";

    /** See {@link #maxHeldFiles()}. */
    public static final String MAX_HELD_FILES = "DUMPFLOW_MAX_HELD_FILES";

    /** The largest {@link #maxHeldFiles()}: a container's usual hard {@code nofile} limit. */
    static final int MAX_HELD_FILES_LIMIT = 1_048_576;

    /** The Downward API's pod IP, the default advertised host. */
    public static final String POD_IP = "POD_IP";

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:_\\-\\[\\]%]+");
    private static final String HOST_FORMS = "a host name, an IPv4 address or an IPv6 address";

    public ServeConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (advertiseHost == null || !HOST.matcher(advertiseHost).matches()) {
            throw new IllegalArgumentException("advertiseHost is not a host: " + advertiseHost);
        }
        if (tokenTtl == null || tokenTtl.isNegative() || tokenTtl.isZero()) {
            throw new IllegalArgumentException("tokenTtl must be positive");
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits are needed");
        }
        if (maxHeldFiles < 1 || maxHeldFiles > MAX_HELD_FILES_LIMIT) {
            throw new IllegalArgumentException("maxHeldFiles out of range: " + maxHeldFiles);
        }
    }

    /** Parses the file server's variables. */
    public static ServeConfig fromEnv(Env env) {
        int port = env.port(PORT, 8787);
        String host =
                env.parsed(ADVERTISE_HOST, HOST_FORMS, ServeConfig::host)
                        .or(() -> env.parsed(POD_IP, HOST_FORMS, ServeConfig::host))
                        .orElseGet(ServeConfig::localAddress);
        return new ServeConfig(
                port,
                host,
                env.duration(TOKEN_TTL, Duration.ofHours(6)),
                ServeLimits.fromEnv(env),
                env.positiveInt(MAX_HELD_FILES, HeldFiles.DEFAULT_MAX, MAX_HELD_FILES_LIMIT));
    }

    /** The host as it goes into a URL: IPv6 addresses in brackets. */
    public String urlHost() {
        return advertiseHost.contains(":") && !advertiseHost.startsWith("[")
                ? "[" + advertiseHost + "]"
                : advertiseHost;
    }

    private static String host(String raw) {
        if (!HOST.matcher(raw).matches()) {
            throw new IllegalArgumentException("not a host");
        }
        return raw;
    }

    private static String localAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException unresolvable) {
            return InetAddress.getLoopbackAddress().getHostAddress();
        }
    }
}
