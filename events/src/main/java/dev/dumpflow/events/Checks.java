package dev.dumpflow.events;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Argument checks shared by the payload records' compact constructors. Every record of the contract
 * validates here, so the functions, the dead-letter handler and the sidecar apply the same rules to
 * what they read and what they write.
 *
 * <p>Names that Kubernetes defines are checked as Kubernetes checks them (its DNS-1123 forms and
 * lengths), so a name no cluster can hold never reaches an API call, a storage key or a message.
 * Other identifiers (keys, types, file names) must not hold control characters, which CloudEvents
 * forbids in its strings too. Free text (a command line, a failure reason, a class name from a heap
 * dump, a Kubernetes Event's message) is not refused for them: it may come from a hostile dump or a
 * program's own arguments, so every sink escapes what it prints instead.
 */
final class Checks {

    /** Safe in an object key, a URL path segment and a file name: no slash, no leading dot. */
    static final Pattern DUMP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** A DNS-1123 label, as Kubernetes requires of namespaces and container names. */
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    /** A DNS-1123 subdomain, as Kubernetes requires of pod, node and most object names. */
    static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** A label's name part, and a non-empty label value. */
    static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    /** A Kubernetes kind, such as {@code Deployment}. */
    static final Pattern KIND = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    /** A Kubernetes UID is a UUID; this also takes the local stack's readable stand-ins. */
    static final Pattern UID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

    /** A bearer token as RFC 6750 writes one ({@code b64token}). */
    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    static final int DNS_LABEL_MAX = 63;
    static final int DNS_SUBDOMAIN_MAX = 253;
    static final int LABEL_VALUE_MAX = 63;
    static final int UID_MAX = 128;
    static final int TOKEN_MAX = 1024;

    /** Linux's {@code NAME_MAX}. */
    static final int FILE_NAME_MAX = 255;

    /** S3's limit on a key's length, which no other identifier of the contract needs to pass. */
    static final int IDENTIFIER_MAX = 1024;

    private Checks() {}

    static String nonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    static <T> T nonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    static long nonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    static Long nonNegativeOrNull(Long value, String name) {
        return value == null ? null : nonNegative(value, name);
    }

    static String dumpId(String value) {
        nonBlank(value, "dumpId");
        if (!DUMP_ID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "dumpId must match " + DUMP_ID.pattern() + ", was " + quoted(value));
        }
        return value;
    }

    static String sha256(String value) {
        nonBlank(value, "sha256");
        if (!SHA256.matcher(value).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
        return value;
    }

    /** An instant in {@link TimeWindow}. */
    static Instant time(Instant value, String name) {
        nonNull(value, name);
        if (!TimeWindow.contains(value)) {
            throw new IllegalArgumentException(
                    "%s must lie between %s and %s, was %s"
                            .formatted(name, TimeWindow.EARLIEST, TimeWindow.LATEST, value));
        }
        return value;
    }

    static Instant timeOrNull(Instant value, String name) {
        return value == null ? null : time(value, name);
    }

    /** A namespace or container name: a DNS-1123 label of at most 63 characters. */
    static String dnsLabel(String value, String name) {
        return kubernetesName(
                value,
                name,
                DNS_LABEL,
                DNS_LABEL_MAX,
                "a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a"
                        + " letter or digit)");
    }

    /** A pod, node or workload name: a DNS-1123 subdomain of at most 253 characters. */
    static String dnsSubdomain(String value, String name) {
        return kubernetesName(
                value,
                name,
                DNS_SUBDOMAIN,
                DNS_SUBDOMAIN_MAX,
                "a DNS-1123 subdomain (lower-case letters, digits, '-' and '.')");
    }

    static String dnsSubdomainOrNull(String value, String name) {
        return value == null ? null : dnsSubdomain(value, name);
    }

    /** A Kubernetes kind, such as {@code Deployment}. */
    static String kind(String value, String name) {
        return kubernetesName(
                value, name, KIND, DNS_LABEL_MAX, "a Kubernetes kind such as Deployment");
    }

    static String uidOrNull(String value, String name) {
        return value == null
                ? null
                : kubernetesName(
                        value, name, UID, UID_MAX, "a UID (letters, digits, '.', '_', ':', '-')");
    }

    /** Pod labels as Kubernetes allows them: qualified names as keys, short values. */
    static Map<String, String> labels(Map<String, String> labels, String name) {
        if (labels == null) {
            return Map.of();
        }
        labels.forEach(
                (key, value) -> {
                    labelKey(key, name);
                    nonNull(value, name + "[" + quoted(key) + "]");
                    if (value.length() > LABEL_VALUE_MAX
                            || (!value.isEmpty() && !LABEL_NAME.matcher(value).matches())) {
                        String form =
                                "%s[%s] must be empty or at most %d letters, digits, '-', '_' and"
                                        + " '.' starting and ending with a letter or digit, was %s";
                        throw new IllegalArgumentException(
                                form.formatted(name, quoted(key), LABEL_VALUE_MAX, quoted(value)));
                    }
                });
        return Map.copyOf(labels);
    }

    private static void labelKey(String key, String name) {
        nonBlank(key, name + " key");
        int slash = key.lastIndexOf('/');
        String prefix = slash < 0 ? null : key.substring(0, slash);
        String local = key.substring(slash + 1);
        boolean valid =
                local.length() <= DNS_LABEL_MAX
                        && LABEL_NAME.matcher(local).matches()
                        && (prefix == null
                                || (prefix.length() <= DNS_SUBDOMAIN_MAX
                                        && DNS_SUBDOMAIN.matcher(prefix).matches()));
        if (!valid) {
            throw new IllegalArgumentException(
                    name
                            + " keys must be Kubernetes label keys ([prefix/]name, the name at most"
                            + " 63 characters), was "
                            + quoted(key));
        }
    }

    /** A bearer token, as it goes into an {@code Authorization} header. */
    static String token(String value, String name) {
        nonBlank(value, name);
        if (value.length() > TOKEN_MAX || !TOKEN.matcher(value).matches()) {
            // Never quoted: it is a secret, even when malformed.
            throw new IllegalArgumentException(
                    "%s must be a bearer token of at most %d RFC 6750 b64token characters"
                            .formatted(name, TOKEN_MAX));
        }
        return value;
    }

    /**
     * A file's name in a directory: no slash, not {@code .} or {@code ..}, no control character.
     */
    static String fileName(String value, String name) {
        identifier(value, name, FILE_NAME_MAX);
        if (value.indexOf('/') >= 0 || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException(
                    name + " must be a file's name, not a path, was " + quoted(value));
        }
        return value;
    }

    /**
     * A key, type or other machine-made name: not blank, at most {@code max} characters, and free
     * of control characters.
     */
    static String identifier(String value, String name, int max) {
        nonBlank(value, name);
        if (value.length() > max) {
            throw new IllegalArgumentException(
                    "%s may have %d characters at most, had %d"
                            .formatted(name, max, value.length()));
        }
        noControl(value, name);
        return value;
    }

    static String identifierOrNull(String value, String name, int max) {
        return value == null ? null : identifier(value, name, max);
    }

    /**
     * Refuses the control characters CloudEvents forbids in strings: U+0000–U+001F, U+007F–U+009F.
     */
    static String noControl(String value, String name) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(
                        "%s must not hold control characters, had U+%04X at index %d"
                                .formatted(name, (int) value.charAt(i), i));
            }
        }
        return value;
    }

    private static String kubernetesName(
            String value, String name, Pattern form, int max, String what) {
        nonBlank(value, name);
        if (value.length() > max || !form.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "%s must be %s of at most %d characters, was %s"
                            .formatted(name, what, max, quoted(value)));
        }
        return value;
    }

    /**
     * A refused value as an error message may show it: quoted, control characters as {@code ?}, at
     * most 64 characters and the length when it is longer.
     */
    static String quoted(String value) {
        StringBuilder shown = new StringBuilder("'");
        value.codePoints()
                .limit(64)
                .forEach(c -> shown.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        shown.append('\'');
        if (value.length() > 64) {
            shown.append("... (").append(value.length()).append(" characters)");
        }
        return shown.toString();
    }
}
