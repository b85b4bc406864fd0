package dev.dumpflow.functions.notify;

import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.gate.GateConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * Presigned GET links to stored dumps, time-limited by {@code dumpflow.presign.ttl}. Signing is
 * local (no call to S3), so a link is cheap; it is a bearer credential though, so it goes only into
 * the message, never into an event (every subscriber of the Broker would see it) or a log. The
 * bucket and key come from the dump's record, which the archive created, never from an event.
 *
 * <p>When {@code dumpflow.download.gate-url} is set, a message carries no presigned URL at all but
 * a link to the download gate, {@code {gate-url}/api/dumps/{dumpId}/download}: whoever sees the
 * message still needs a Kubernetes token with {@code get} on the dump, and the gate audits the
 * download.
 */
@Startup
@ApplicationScoped
class DownloadLinks {

    /** SigV4 refuses presigned URLs valid for longer than this. */
    static final Duration MAX_TTL = Duration.ofDays(7);

    private final S3Presigner presigner;
    private final PresignConfig config;
    private final Optional<URI> gate;

    DownloadLinks(S3Presigner presigner, PresignConfig config, GateConfig gate) {
        this.presigner = presigner;
        this.config = config;
        this.gate = gate.gateUrl();
        Duration ttl = this.config.ttl();
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException(
                    "dumpflow.presign.ttl must be more than 0 and at most 7d (the SigV4 limit),"
                            + " was "
                            + ttl);
        }
    }

    /**
     * A link to the recorded dump: through the gate when {@code dumpflow.download.gate-url} is set,
     * else presigned; empty when links are turned off.
     */
    Optional<Notification.Link> linkTo(DumpArchived record) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        if (gate.isPresent()) {
            String base = gate.get().toString().replaceAll("/+$", "");
            return Optional.of(
                    Notification.Link.throughGate(
                            URI.create(base + "/api/dumps/" + record.dumpId() + "/download")));
        }
        try {
            PresignedGetObjectRequest signed =
                    presigner.presignGetObject(
                            r ->
                                    r.signatureDuration(config.ttl())
                                            .getObjectRequest(
                                                    g ->
                                                            g.bucket(record.bucket())
                                                                    .key(record.key())));
            return Optional.of(new Notification.Link(signed.url().toURI(), signed.expiration()));
        } catch (SdkException | URISyntaxException e) {
            // Credentials that cannot be resolved right now (an expired web identity, say).
            throw FunctionFailure.unavailable(
                    "could not sign a download link for dumpId=" + record.dumpId(), null);
        }
    }
}
