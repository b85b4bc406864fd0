package dev.dumpflow.functions.s3;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy 4.1 as its own process on a free loopback port, backed by a
 * temporary directory so that large objects do not sit in memory. It creates the bucket and hands
 * Quarkus the standard {@code quarkus.s3.*} properties and {@code dumpflow.bucket}.
 */
public class S3ProxyResource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "dumpflow-test";
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    private Path dir;
    private S3ProxyProcess proxy;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("s3proxy");
            Path data = Files.createDirectories(dir.resolve("data"));
            // With the filesystem store a bucket is a directory.
            Files.createDirectories(data.resolve(BUCKET));
            proxy =
                    S3ProxyProcess.filesystem(
                            S3ProxyProcess.freePort(), data, dir, ACCESS_KEY, SECRET_KEY);
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
        return proxy.endpoint();
    }

    /** A plain SDK client for this server, for tests that start it themselves; they close it. */
    public S3Client client() {
        return proxy.client();
    }

    @Override
    public void stop() {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
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
