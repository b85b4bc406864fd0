package dev.dumpflow.functions.archive;

import dev.dumpflow.functions.FunctionFailure;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Decides which sidecar addresses the archive may connect to, against SSRF: a dump event names a
 * URL, and the function must not become a way to reach the cloud's metadata service or anything
 * else on its network.
 */
final class AllowedHosts {

    private final List<HostRule> rules;

    AllowedHosts(List<HostRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Resolves the URL's host and returns the address to connect to. Every resolved address must be
     * allowed, so that a name resolving to both a pod and the metadata service is refused; the
     * caller connects to the returned address itself, so a second lookup cannot answer otherwise.
     *
     * @throws FunctionFailure not allowed, or unavailable when the name does not resolve now
     */
    InetAddress check(URI url, String dumpId) {
        String host = url.getHost();
        if (host == null || host.isBlank()) {
            throw FunctionFailure.notAllowed("dump " + dumpId + ": the fetch URL has no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw FunctionFailure.unavailable(
                    "dump " + dumpId + ": the sidecar host " + host + " does not resolve", e);
        }
        String named = host;
        boolean byName = rules.stream().anyMatch(r -> r.matchesName(named));
        for (InetAddress address : addresses) {
            if (alwaysRefused(address)) {
                throw FunctionFailure.notAllowed(
                        "dump %s: %s resolves to %s, a link-local, unspecified or multicast address, which is never fetched from"
                                .formatted(dumpId, host, address.getHostAddress()));
            }
            if (!byName && rules.stream().noneMatch(r -> r.contains(address))) {
                throw FunctionFailure.notAllowed(
                        "dump %s: %s (%s) is not in dumpflow.fetch.allowed-hosts"
                                .formatted(dumpId, host, address.getHostAddress()));
            }
        }
        return addresses[0];
    }

    /**
     * Addresses no configuration can allow: link-local (169.254.0.0/16 with the metadata service,
     * fe80::/10), 0.0.0.0/8 and ::, and multicast.
     */
    static boolean alwaysRefused(InetAddress address) {
        byte[] bytes = address.getAddress();
        return address.isLinkLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()
                || (bytes.length == 4 && bytes[0] == 0);
    }
}
