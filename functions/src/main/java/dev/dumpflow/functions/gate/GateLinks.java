package dev.dumpflow.functions.gate;

import dev.dumpflow.events.DumpArchived;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The presigned GET URL the gate redirects an allowed download to, living {@code
 * dumpflow.download.link-ttl} (minutes, where a notification's link lives a day). Signed locally
 * for the bucket and key of the archive's record, never from what the request says.
 */
@ApplicationScoped
public class GateLinks {

    /** SigV4 refuses presigned URLs valid for longer than this. */
    static final Duration MAX_TTL = Duration.ofDays(7);

    private final S3Presigner presigner;
    private final Duration ttl;

    GateLinks(S3Presigner presigner, GateConfig config) {
        this.presigner = presigner;
        this.ttl = config.linkTtl();
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException(
                    "dumpflow.download.link-ttl must be more than 0 and at most 7d (the SigV4"
                            + " limit), was "
                            + ttl);
        }
    }

    /**
     * A link to the stored dump of the record.
     *
     * @throws GateUnavailable when the credentials cannot sign right now
     */
    public URI linkTo(DumpArchived record) {
        try {
            return presigner
                    .presignGetObject(
                            r ->
                                    r.signatureDuration(ttl)
                                            .getObjectRequest(
                                                    g ->
                                                            g.bucket(record.bucket())
                                                                    .key(record.key())))
                    .url()
                    .toURI();
        } catch (SdkException | URISyntaxException e) {
            throw new GateUnavailable("could not sign a link for dumpId=" + record.dumpId(), e);
        }
    }
}
