package dev.dumpflow.functions.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

@QuarkusTest
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class S3ProxyResourceTest {

    @Inject S3Client s3;

    @Test
    void quarkusS3ClientTalksToTheRealServerThroughTheStandardProperties() {
        s3.putObject(
                b -> b.bucket(S3ProxyResource.BUCKET).key("probe/hello.txt"),
                RequestBody.fromString("hello"));
        assertThat(
                        s3.getObjectAsBytes(
                                        b ->
                                                b.bucket(S3ProxyResource.BUCKET)
                                                        .key("probe/hello.txt"))
                                .asUtf8String())
                .isEqualTo("hello");
    }
}
