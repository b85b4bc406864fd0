package dev.dumpflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

@QuarkusTest
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class StoredDumpsTest {

    private static final String BUCKET = S3ProxyResource.BUCKET;

    @Inject S3Client s3;

    private byte[] put(String key, int size) {
        byte[] bytes = new byte[size];
        new Random(3).nextBytes(bytes);
        s3.putObject(
                b -> b.bucket(BUCKET).key(key).metadata(Map.of("dumpid", "d1")),
                RequestBody.fromBytes(bytes));
        return bytes;
    }

    @Test
    void replacesTheMetadataOfASmallObjectByOneCopy() {
        String key = "dumps/test/copy/one.hprof.zst";
        byte[] bytes = put(key, 100_000);

        new StoredDumps(s3, StoredDumps.SINGLE_COPY_LIMIT, StoredDumps.COPY_PART)
                .replaceMetadata(
                        new StoredDumps.Location(BUCKET, key, "d1"),
                        Map.of("dumpid", "d1", "sha256", "ab".repeat(32)),
                        bytes.length);

        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(key));
        assertThat(head.metadata()).containsEntry("sha256", "ab".repeat(32));
        assertThat(head.contentType()).isEqualTo("application/zstd");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray())
                .isEqualTo(bytes);
    }

    @Test
    void replacesTheMetadataOfAnObjectTooLargeForOneCopyInCopiedParts() {
        // With the limits lowered, a 12 MB object takes the path of objects of 5 GiB and more.
        String key = "dumps/test/copy/parts.hprof.zst";
        byte[] bytes = put(key, 12_000_000);

        new StoredDumps(s3, 1_000_000, 5L << 20)
                .replaceMetadata(
                        new StoredDumps.Location(BUCKET, key, "d2"),
                        Map.of("dumpid", "d2", "sha256", "cd".repeat(32)),
                        bytes.length);

        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(key));
        assertThat(head.metadata()).containsEntry("sha256", "cd".repeat(32));
        assertThat(head.contentLength()).isEqualTo(bytes.length);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray())
                .isEqualTo(bytes);
        assertThat(ArchiveRequests.uploads(s3, BUCKET)).isEmpty();
    }
}
