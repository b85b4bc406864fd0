package dev.dumpflow.functions.once;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.s3.S3ProxyResource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The start-up check that the store creates a key once, against a store that does and one that does
 * not.
 */
class ConditionalWriteProbeTest {

    private static S3ProxyResource s3proxy;

    @BeforeAll
    static void startS3() {
        s3proxy = new S3ProxyResource();
        s3proxy.start();
    }

    @AfterAll
    static void stopS3() {
        s3proxy.stop();
    }

    @Test
    void passesOnAStoreThatRefusesASecondCreateAndLeavesNoProbeBehind() {
        try (S3Client s3 = client(s3proxy.endpoint())) {
            new ConditionalWriteProbe(s3, () -> S3ProxyResource.BUCKET).ensure();

            assertThat(
                            s3.listObjectsV2(
                                            b ->
                                                    b.bucket(S3ProxyResource.BUCKET)
                                                            .prefix(
                                                                    StorageLayout.MARKERS_PREFIX
                                                                            + "_probe/"))
                                    .contents())
                    .isEmpty();
        }
    }

    @Test
    void refusesAStoreThatIgnoresIfNoneMatchNamingItAndWhatIsNeeded() throws IOException {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer careless =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        careless.createContext(
                "/",
                exchange -> {
                    requests.add(exchange.getRequestMethod());
                    exchange.getRequestBody().readAllBytes();
                    exchange.getResponseHeaders().add("ETag", "\"0\"");
                    exchange.sendResponseHeaders(
                            exchange.getRequestMethod().equals("DELETE") ? 204 : 200, -1);
                    exchange.close();
                });
        careless.start();
        String endpoint = "http://127.0.0.1:" + careless.getAddress().getPort();
        try (S3Client s3 = client(endpoint)) {
            assertThatThrownBy(() -> new ConditionalWriteProbe(s3, () -> "careless").ensure())
                    .isInstanceOf(ConditionalWriteProbe.ConditionalWritesUnsupported.class)
                    .hasMessageContaining(endpoint)
                    .hasMessageContaining("bucket careless")
                    .hasMessageContaining("If-None-Match: *")
                    .hasMessageContaining("412");
        } finally {
            careless.stop(0);
        }
        assertThat(requests).containsExactly("PUT", "PUT", "DELETE");
    }

    private static S3Client client(String endpoint) {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(
                        StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(
                                        S3ProxyResource.ACCESS_KEY, S3ProxyResource.SECRET_KEY)))
                .httpClient(ApacheHttpClient.create())
                .build();
    }
}
