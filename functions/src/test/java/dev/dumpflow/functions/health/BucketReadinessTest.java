package dev.dumpflow.functions.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.functions.s3.S3ProxyProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Readiness follows the bucket, against a real S3Proxy that is up, then stopped, then up again. */
class BucketReadinessTest {

    private static final String BUCKET = "ready-bucket";
    private static final Duration CACHE = Duration.ofSeconds(5);

    @TempDir Path dir;
    private S3ProxyProcess s3proxy;
    private S3Client s3;
    private final AtomicLong now = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(data.resolve(BUCKET));
        s3proxy = S3ProxyProcess.filesystem(S3ProxyProcess.freePort(), data, dir, "ak", "sk");
        s3 =
                S3Client.builder()
                        .endpointOverride(URI.create(s3proxy.endpoint()))
                        .region(Region.US_EAST_1)
                        .forcePathStyle(true)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create("ak", "sk")))
                        .httpClient(ApacheHttpClient.create())
                        .build();
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
        s3proxy.close();
    }

    private BucketReadiness check(String bucket) {
        return new BucketReadiness(s3, bucket, Duration.ofSeconds(2), CACHE, now::get);
    }

    @Test
    void isUpWhileTheBucketAnswersAndDownOnceTheStoreStopsAfterTheCachedAnswerExpires()
            throws Exception {
        BucketReadiness readiness = check(BUCKET);
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(readiness.call().getName()).isEqualTo("bucket");

        s3proxy.stop();
        assertThat(readiness.call().getStatus())
                .as("the answer of a moment ago is reused, sparing S3 a request per probe")
                .isEqualTo(HealthCheckResponse.Status.UP);

        now.addAndGet(CACHE.toNanos());
        long before = System.nanoTime();
        HealthCheckResponse down = readiness.call();
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData()).hasValueSatisfying(d -> assertThat(d).containsKey("error"));
        assertThat(Duration.ofNanos(System.nanoTime() - before))
                .as("bounded by the timeout")
                .isLessThan(Duration.ofSeconds(4));

        s3proxy.start();
        now.addAndGet(CACHE.toNanos());
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void isDownWhenTheConfiguredBucketDoesNotExist() {
        HealthCheckResponse response = check("no-such-bucket").call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData())
                .hasValueSatisfying(d -> assertThat(d).containsEntry("bucket", "no-such-bucket"));
    }
}
