package dev.dumpflow.sidecar.dumpdir;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Makes dumpIds such as {@code 20261122T034912123Z-5f0c9a1b2e7d}: a UTC time to the millisecond, so
 * that ids sort by time, then 48 random bits, so that two dumps in the same millisecond (or on two
 * pods) never share one. Safe in a URL path, an object key and a file name.
 */
final class DumpIds {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private DumpIds() {}

    static String next(Instant at) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return STAMP.format(at) + "-" + HexFormat.of().formatHex(random);
    }
}
