package dev.dumpflow.functions.s3;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server for tests: S3Proxy in-process on a random loopback port, backed by a temporary
 * directory so that large objects do not sit in memory. It creates the bucket and hands Quarkus the
 * standard {@code quarkus.s3.*} properties and {@code dumpflow.bucket}.
 */
public class S3ProxyResource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "dumpflow-test";
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    private Path dir;
    private BlobStoreContext context;
    private S3Proxy proxy;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("s3proxy");
            Properties properties = new Properties();
            properties.setProperty("jclouds.filesystem.basedir", dir.toString());
            context =
                    ContextBuilder.newBuilder("filesystem")
                            .credentials(ACCESS_KEY, SECRET_KEY)
                            .overrides(properties)
                            .build(BlobStoreContext.class);
            context.getBlobStore().createContainerInLocation(null, BUCKET);
            proxy =
                    S3Proxy.builder()
                            .blobStore(context.getBlobStore())
                            .endpoint(URI.create("http://127.0.0.1:0"))
                            .awsAuthentication(
                                    AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                            .build();
            proxy.start();
            awaitStarted();
            return Map.of(
                    "quarkus.s3.endpoint-override",
                    endpoint(),
                    "quarkus.s3.aws.region",
                    "us-east-1",
                    "quarkus.s3.aws.credentials.type",
                    "static",
                    "quarkus.s3.aws.credentials.static-provider.access-key-id",
                    ACCESS_KEY,
                    "quarkus.s3.aws.credentials.static-provider.secret-access-key",
                    SECRET_KEY,
                    "quarkus.s3.path-style-access",
                    "true",
                    "dumpflow.bucket",
                    BUCKET);
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("S3Proxy did not start", e);
        }
    }

    /** The server's base URL, for example {@code http://127.0.0.1:41234}. */
    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    private void awaitStarted() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!"STARTED".equals(proxy.getState())) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("S3Proxy state " + proxy.getState());
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void stop() {
        try {
            if (proxy != null) {
                proxy.stop();
            }
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        } finally {
            if (context != null) {
                context.close();
            }
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is not worth failing a test run for.
        }
    }
}
