package dev.dumpflow.functions.gate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local stack's gate: without Kubernetes and without a token it allows everything, and still
 * records every decision, naming the caller as allowed by that mode.
 */
@QuarkusTest
@TestProfile(AllowAllProfile.class)
class AllowAllGateTest {

    @Inject S3Client s3;
    @Inject ObjectMapper json;

    @Test
    void allowsListingWithoutAnyTokenAndAuditsIt() throws Exception {
        given().get("/api/dumps?namespace=local").then().statusCode(200);

        List<String> lines =
                s3
                        .listObjectsV2(
                                b ->
                                        b.bucket(S3ProxyResource.BUCKET)
                                                .prefix(StorageLayout.AUDIT_PREFIX))
                        .contents()
                        .stream()
                        .map(
                                o ->
                                        s3.getObjectAsBytes(
                                                        b ->
                                                                b.bucket(S3ProxyResource.BUCKET)
                                                                        .key(o.key()))
                                                .asUtf8String())
                        .toList();
        assertThat(lines)
                .singleElement()
                .satisfies(
                        l -> {
                            var line = json.readTree(l);
                            assertThat(line.path("user").asText())
                                    .isEqualTo(AccessReviews.ALLOW_ALL_USER);
                            assertThat(line.path("status").asInt()).isEqualTo(200);
                            assertThat(line.path("namespace").asText()).isEqualTo("local");
                        });
    }
}
