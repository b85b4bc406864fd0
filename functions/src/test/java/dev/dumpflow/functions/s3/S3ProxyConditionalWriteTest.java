package dev.dumpflow.functions.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What the S3Proxy of the tests and the local stack does with S3's conditional writes ({@code
 * If-None-Match: *} and {@code If-Match} on PutObject): it ignores them and overwrites. That is why
 * {@code OnceMarkers} uses no conditional write; if a future S3Proxy honours them, these tests fail
 * and say so, and markers could move to {@code If-None-Match} as on AWS S3.
 */
@QuarkusTest
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class S3ProxyConditionalWriteTest {

    @Inject S3Client s3;

    @Test
    void ignoresIfNoneMatchStarAndOverwritesAnExistingObject() {
        String key = "probe/if-none-match.txt";
        s3.putObject(
                b -> b.bucket(S3ProxyResource.BUCKET).key(key).ifNoneMatch("*"),
                RequestBody.fromString("first"));
        S3Exception refused =
                catchThrowableOfType(
                        S3Exception.class,
                        () ->
                                s3.putObject(
                                        b ->
                                                b.bucket(S3ProxyResource.BUCKET)
                                                        .key(key)
                                                        .ifNoneMatch("*"),
                                        RequestBody.fromString("second")));
        String stored =
                s3.getObjectAsBytes(b -> b.bucket(S3ProxyResource.BUCKET).key(key)).asUtf8String();
        assertThat(refused).as("S3 would answer 412 Precondition Failed").isNull();
        assertThat(stored).isEqualTo("second");
    }

    @Test
    void ignoresAStaleIfMatchAndOverwrites() {
        String key = "probe/if-match.txt";
        String first =
                s3.putObject(
                                b -> b.bucket(S3ProxyResource.BUCKET).key(key),
                                RequestBody.fromString("first"))
                        .eTag();
        s3.putObject(
                b -> b.bucket(S3ProxyResource.BUCKET).key(key).ifMatch(first),
                RequestBody.fromString("second"));
        S3Exception refused =
                catchThrowableOfType(
                        S3Exception.class,
                        () ->
                                s3.putObject(
                                        b ->
                                                b.bucket(S3ProxyResource.BUCKET)
                                                        .key(key)
                                                        .ifMatch(first),
                                        RequestBody.fromString("third")));
        String stored =
                s3.getObjectAsBytes(b -> b.bucket(S3ProxyResource.BUCKET).key(key)).asUtf8String();
        assertThat(refused).as("S3 would answer 412 Precondition Failed").isNull();
        assertThat(stored).isEqualTo("third");
    }
}
