package dev.dumpflow.functions.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.functions.gate.GateConfig;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Which link a notification carries: through the download gate when there is one, else signed. */
class DownloadLinksTest {

    private static final DumpArchived DUMP =
            new DumpArchived(
                    "dump-1",
                    "java_pid1.hprof",
                    Instant.parse("2026-01-02T03:04:05Z"),
                    DumpFormat.HPROF,
                    DumpCause.THRESHOLD,
                    1L,
                    "bucket",
                    "dumps/shop/checkout/2026/01/02/dump-1.hprof.zst",
                    "zstd",
                    10,
                    5,
                    "a".repeat(64),
                    1,
                    Instant.parse("2026-01-02T03:04:10Z"),
                    null,
                    new PodIdentity("shop", "checkout-0", "uid", "node", "app", null, Map.of()));

    @Test
    void linksToTheGateWhenAGateUrlIsSet() {
        Notification.Link link =
                links(Optional.of(URI.create("https://dumps.example.test/")))
                        .linkTo(DUMP)
                        .orElseThrow();

        assertThat(link.url())
                .isEqualTo(URI.create("https://dumps.example.test/api/dumps/dump-1/download"));
        assertThat(link.url().getQuery()).isNull();
        assertThat(link.expiresAt()).isNull();
    }

    @Test
    void signsAPresignedUrlWithoutAGate() {
        Notification.Link link = links(Optional.empty()).linkTo(DUMP).orElseThrow();

        assertThat(link.url().getQuery()).contains("X-Amz-Signature=", "X-Amz-Expires=86400");
        assertThat(link.expiresAt()).isNotNull();
    }

    private static DownloadLinks links(Optional<URI> gateUrl) {
        S3Presigner presigner =
                S3Presigner.builder()
                        .region(Region.US_EAST_1)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create("key", "secret")))
                        .build();
        PresignConfig presign =
                new PresignConfig() {
                    @Override
                    public boolean enabled() {
                        return true;
                    }

                    @Override
                    public Duration ttl() {
                        return Duration.ofHours(24);
                    }
                };
        GateConfig gate =
                new GateConfig() {
                    @Override
                    public boolean gateEnabled() {
                        return false;
                    }

                    @Override
                    public boolean gateOnly() {
                        return false;
                    }

                    @Override
                    public boolean allowAll() {
                        return false;
                    }

                    @Override
                    public Duration linkTtl() {
                        return Duration.ofMinutes(5);
                    }

                    @Override
                    public Optional<URI> gateUrl() {
                        return gateUrl;
                    }

                    @Override
                    public int maxListed() {
                        return 500;
                    }
                };
        return new DownloadLinks(presigner, presign, gate);
    }
}
