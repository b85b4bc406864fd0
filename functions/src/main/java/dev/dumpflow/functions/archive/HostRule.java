package dev.dumpflow.functions.archive;

import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One entry of {@code dumpflow.fetch.allowed-hosts}: a host name, or an address block (a single
 * address is a block of its full length).
 *
 * @param name the host name, lower case, or null for a block
 * @param network the block's address, or null for a name
 * @param prefixLength how many leading bits of {@code network} an address must share
 */
public record HostRule(String name, InetAddress network, int prefixLength) {

    private static final Pattern HOST_NAME =
            Pattern.compile("[a-z0-9]([a-z0-9-]{0,62})(\\.[a-z0-9]([a-z0-9-]{0,62}))*\\.?");

    public HostRule {
        if ((name == null) == (network == null)) {
            throw new IllegalArgumentException("a host rule is either a name or an address block");
        }
        if (network != null && (prefixLength < 0 || prefixLength > bits(network))) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
    }

    /**
     * Parses {@code localhost}, {@code 10.1.2.3}, {@code ::1}, {@code 10.244.0.0/16} or {@code
     * fd00::/8}, without any DNS lookup.
     */
    public static HostRule parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            int slash = value.indexOf('/');
            if (slash >= 0) {
                InetAddress network = InetAddress.ofLiteral(value.substring(0, slash));
                return new HostRule(null, network, Integer.parseInt(value.substring(slash + 1)));
            }
            if (value.contains(":") || value.matches("[0-9.]+")) {
                InetAddress address = InetAddress.ofLiteral(value);
                return new HostRule(null, address, bits(address));
            }
            if (HOST_NAME.matcher(value).matches()) {
                return new HostRule(value, null, 0);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the message that lists the accepted forms
        }
        throw new IllegalArgumentException(
                "dumpflow.fetch.allowed-hosts: '"
                        + text
                        + "' is not a host name, an IP address or a CIDR block such as"
                        + " 10.244.0.0/16");
    }

    /** Whether the URL's host, as written, is this named host. */
    boolean matchesName(String host) {
        return name != null && name.equals(host.toLowerCase(Locale.ROOT));
    }

    /** Whether the address lies in this block. */
    boolean contains(InetAddress address) {
        if (network == null || address.getClass() != network.getClass()) {
            return false;
        }
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != n[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (a[full] & mask) == (n[full] & mask);
    }

    private static int bits(InetAddress address) {
        return address.getAddress().length * 8;
    }

    @Override
    public String toString() {
        return name != null ? name : network.getHostAddress() + "/" + prefixLength;
    }
}
