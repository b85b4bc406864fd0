package dev.dumpflow.functions.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What the S3Proxy of the tests and the local stack does with S3's conditional writes: like AWS S3
 * and MinIO, it refuses {@code If-None-Match: *} with 412 once the key exists, on PutObject and on
 * CompleteMultipartUpload. The archive creates each stored dump and its {@code _by-id} record that
 * way; if the server ever ignored the header again, these tests would fail and say so.
 */
@QuarkusTest
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class S3ProxyConditionalWriteTest {

    private static final String BUCKET = S3ProxyResource.BUCKET;

    @Inject S3Client s3;

    @Test
    void refusesASecondPutObjectWithIfNoneMatchStarAndKeepsTheFirst() {
        String key = "probe/if-none-match.txt";
        s3.putObject(
                b -> b.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromString("first"));

        S3Exception refused =
                catchThrowableOfType(
                        S3Exception.class,
                        () ->
                                s3.putObject(
                                        b -> b.bucket(BUCKET).key(key).ifNoneMatch("*"),
                                        RequestBody.fromString("second")));

        assertThat(refused).as("412 Precondition Failed").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(412);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String())
                .isEqualTo("first");
    }

    @Test
    void refusesToCompleteAMultipartUploadWithIfNoneMatchStarOverAnExistingObject() {
        String key = "probe/multipart-if-none-match.bin";
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("first"));
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        byte[] part = new byte[5 << 20];
        Arrays.fill(part, (byte) 'x');
        String etag =
                s3.uploadPart(
                                b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
                                RequestBody.fromBytes(part))
                        .eTag();

        S3Exception refused =
                catchThrowableOfType(
                        S3Exception.class,
                        () ->
                                s3.completeMultipartUpload(
                                        b ->
                                                b.bucket(BUCKET)
                                                        .key(key)
                                                        .uploadId(uploadId)
                                                        .ifNoneMatch("*")
                                                        .multipartUpload(
                                                                m ->
                                                                        m.parts(
                                                                                CompletedPart
                                                                                        .builder()
                                                                                        .partNumber(
                                                                                                1)
                                                                                        .eTag(etag)
                                                                                        .build()))));
        s3.abortMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId));

        assertThat(refused).as("412 Precondition Failed").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(412);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String())
                .isEqualTo("first");
    }

    @Test
    void completesAMultipartUploadWithIfNoneMatchStarWhenTheKeyIsFree() {
        String key = "probe/multipart-fresh.bin";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        String etag =
                s3.uploadPart(
                                b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
                                RequestBody.fromString("only part"))
                        .eTag();

        s3.completeMultipartUpload(
                b ->
                        b.bucket(BUCKET)
                                .key(key)
                                .uploadId(uploadId)
                                .ifNoneMatch("*")
                                .multipartUpload(
                                        m ->
                                                m.parts(
                                                        CompletedPart.builder()
                                                                .partNumber(1)
                                                                .eTag(etag)
                                                                .build())));

        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String())
                .isEqualTo("only part");
    }
}
