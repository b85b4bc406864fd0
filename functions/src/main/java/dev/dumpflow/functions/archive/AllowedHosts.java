package dev.dumpflow.functions.archive;

import dev.dumpflow.functions.FunctionFailure;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides which sidecar addresses the archive may connect to, against SSRF: a dump event names a
 * URL, and the function must not become a way to reach the cloud's metadata service or anything
 * else on its network.
 */
final class AllowedHosts {

    private static final Pattern DOTTED_QUAD =
            Pattern.compile(
                    "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
                            + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final InetAddress AWS_METADATA_V6 = InetAddress.ofLiteral("fd00:ec2::254");

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
        if (url.getRawUserInfo() != null
                || (url.getRawAuthority() != null && url.getRawAuthority().contains("@"))) {
            throw FunctionFailure.notAllowed(
                    "dump " + dumpId + ": the fetch URL carries user credentials, never sent");
        }
        String host = url.getHost();
        if (host == null || host.isBlank()) {
            throw FunctionFailure.notAllowed(
                    "dump "
                            + dumpId
                            + ": the fetch URL has no host name, dotted-quad IPv4 or IPv6"
                            + " address");
        }
        InetAddress[] addresses = {literal(host, dumpId)};
        if (addresses[0] == null) {
            try {
                addresses = InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                throw FunctionFailure.unavailable(
                        "dump " + dumpId + ": the sidecar host " + host + " does not resolve", e);
            }
        }
        String named = host;
        boolean byName = rules.stream().anyMatch(r -> r.matchesName(named));
        for (InetAddress address : addresses) {
            if (alwaysRefused(address)) {
                throw FunctionFailure.notAllowed(
                        "dump %s: %s resolves to %s, a link-local, metadata, unspecified or multicast address, never fetched from"
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
     * The address a host written as an IP literal stands for, without any lookup, or null for a
     * host name. Only a plain dotted quad and a bracketed IPv6 address without a zone id are
     * literals: the other forms the JDK's resolver takes ({@code 2130706433}, {@code 127.1}, and
     * {@code 0177.0.0.1}, which it reads as 177.0.0.1 where other tools read 127.0.0.1) would let
     * an address slip past a rule that a person reads otherwise.
     */
    private static InetAddress literal(String host, String dumpId) {
        if (host.startsWith("[") && host.endsWith("]")) {
            String v6 = host.substring(1, host.length() - 1);
            if (v6.contains("%")) {
                throw FunctionFailure.notAllowed(
                        "dump %s: %s has an IPv6 zone id, which is never fetched from"
                                .formatted(dumpId, host));
            }
            try {
                return InetAddress.ofLiteral(v6);
            } catch (IllegalArgumentException e) {
                throw FunctionFailure.notAllowed(
                        "dump %s: %s is not an IPv6 address".formatted(dumpId, host));
            }
        }
        String last = host.substring(host.lastIndexOf('.', host.length() - 2) + 1);
        if (last.isEmpty() || !Character.isDigit(last.charAt(0))) {
            return null;
        }
        if (!DOTTED_QUAD.matcher(host).matches()) {
            throw FunctionFailure.notAllowed(
                    ("dump %s: %s is neither a host name nor a dotted-quad IPv4 address such as"
                                    + " 10.1.2.3 (decimal, hexadecimal, octal and short forms are"
                                    + " refused)")
                            .formatted(dumpId, host));
        }
        return InetAddress.ofLiteral(host);
    }

    /**
     * Addresses no configuration can allow: link-local (169.254.0.0/16 with the metadata service,
     * fe80::/10), the AWS metadata service's IPv6 address (inside fd00::/8, which a cluster may
     * allow), 0.0.0.0/8 and ::, and multicast.
     */
    static boolean alwaysRefused(InetAddress address) {
        byte[] bytes = address.getAddress();
        return address.isLinkLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()
                || address.equals(AWS_METADATA_V6)
                || (bytes.length == 4 && bytes[0] == 0);
    }
}
