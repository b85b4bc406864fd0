package dev.dumpflow.sidecar.capture;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin token that authorises on-demand captures ({@code DUMPFLOW_ADMIN_TOKEN}, from a Secret).
 * Only its SHA-256 digest is kept, compared in constant time, and it never prints.
 */
public final class AdminToken {

    /** Shorter tokens are refused at start-up: they can be guessed. */
    public static final int MIN_LENGTH = 16;

    private final byte[] digest;

    private AdminToken(byte[] digest) {
        this.digest = digest;
    }

    /**
     * Wraps the token.
     *
     * @throws IllegalArgumentException when it is blank or shorter than {@value #MIN_LENGTH}
     */
    public static AdminToken of(String token) {
        if (token == null || token.strip().length() < MIN_LENGTH) {
            throw new IllegalArgumentException(
                    "DUMPFLOW_ADMIN_TOKEN must be at least "
                            + MIN_LENGTH
                            + " characters (for example: openssl rand -hex 32); unset it to"
                            + " disable POST /captures");
        }
        return new AdminToken(sha256(token.strip()));
    }

    /** Whether a presented token is this one, in time that does not depend on where they differ. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        // Digests have one length, so not even the token's length leaks through timing.
        return MessageDigest.isEqual(digest, sha256(presented.strip()));
    }

    @Override
    public String toString() {
        return "AdminToken[redacted]";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
