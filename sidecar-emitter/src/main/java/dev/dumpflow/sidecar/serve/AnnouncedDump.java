package dev.dumpflow.sidecar.serve;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

/**
 * A dump file the sidecar announced, with the secret that lets its puller fetch it. It is what the
 * file server may serve: nothing else on disk is reachable.
 *
 * @param dumpId the id given in the announcement
 * @param file the file's absolute path
 * @param sizeBytes the size announced
 * @param modifiedMillis the file's modification time when announced, to tell a rewritten file
 * @param closedAt when the file was closed
 * @param format the format its magic bytes told
 * @param cause the cause its name told
 * @param pid the writer's pid if the name told it, else null
 * @param token the per-dump bearer token (base64url of 256 random bits)
 * @param expiresAt when the token stops working
 * @param announcedAt when it was last announced; state saved before this was kept loads with {@code
 *     closedAt}
 * @param announcements how many times it was announced, at least 1
 */
public record AnnouncedDump(
        String dumpId,
        Path file,
        long sizeBytes,
        long modifiedMillis,
        Instant closedAt,
        DumpFormat format,
        DumpCause cause,
        Long pid,
        String token,
        Instant expiresAt,
        Instant announcedAt,
        int announcements) {

    public AnnouncedDump {
        if (dumpId == null || file == null || closedAt == null || format == null) {
            throw new IllegalArgumentException("dumpId, file, closedAt and format are needed");
        }
        if (cause == null || token == null || token.isBlank() || expiresAt == null) {
            throw new IllegalArgumentException("cause, token and expiresAt are needed");
        }
        announcedAt = announcedAt == null ? closedAt : announcedAt;
        announcements = Math.max(announcements, 1);
    }

    /**
     * This dump announced once more at the given instant, with the same id and token, the token
     * working until the later of its expiry and the given one.
     */
    public AnnouncedDump announcedAgain(Instant now, Instant expiresNoEarlierThan) {
        return new AnnouncedDump(
                dumpId,
                file,
                sizeBytes,
                modifiedMillis,
                closedAt,
                format,
                cause,
                pid,
                token,
                expiresAt.isAfter(expiresNoEarlierThan) ? expiresAt : expiresNoEarlierThan,
                now,
                announcements + 1);
    }

    /** Whether the presented token is this dump's, compared in constant time. */
    public boolean acceptsToken(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] expected = Base64.getUrlDecoder().decode(token);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(presented);
        } catch (IllegalArgumentException notBase64) {
            given = new byte[0];
        }
        // isEqual does not return early on the first differing byte.
        return MessageDigest.isEqual(expected, given);
    }

    /** Whether the token has expired at the given instant. */
    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** The file's name. */
    public String fileName() {
        return file.getFileName().toString();
    }

    @Override
    public String toString() {
        return "AnnouncedDump[dumpId=" + dumpId + ", file=" + file + ", token=<redacted>]";
    }
}
