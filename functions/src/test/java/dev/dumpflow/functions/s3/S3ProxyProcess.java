package dev.dumpflow.functions.s3;

import dev.dumpflow.functions.e2e.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy 4.1 as its own process ({@code java -jar s3proxy-jar-with-dependencies.jar}, as the local
 * stack starts it). This S3Proxy honours S3's conditional writes: {@code If-None-Match: *} on
 * PutObject and CompleteMultipartUpload is refused with 412 once the key exists, which is what the
 * archive's create-once relies on. Its own process keeps its Jetty, Jackson and Guice off the test
 * class path, and lets a test stop and start it again on the same port and data.
 */
public final class S3ProxyProcess implements AutoCloseable {

    private static final Path JAR =
            Path.of(System.getProperty("dumpflow-test.s3proxy-jar", "target/s3proxy/s3proxy.jar"));

    private final String host;
    private final int port;
    private final Path properties;
    private final String identity;
    private final String credential;
    private ChildProcess process;
    private int starts;

    private S3ProxyProcess(String host, int port, Path properties, Properties p) {
        this.host = host;
        this.port = port;
        this.identity = p.getProperty("s3proxy.identity");
        this.credential = p.getProperty("s3proxy.credential");
        this.properties = properties;
    }

    /** Starts a server over the filesystem store {@code dataDir}, where a bucket is a directory. */
    public static S3ProxyProcess filesystem(
            int port, Path dataDir, Path workDir, String identity, String credential)
            throws Exception {
        return filesystem("127.0.0.1", port, dataDir, workDir, identity, credential);
    }

    /**
     * As {@link #filesystem(int, Path, Path, String, String)}, listening on {@code host} (an IPv4
     * literal), for clients outside this host's loopback such as containers.
     */
    public static S3ProxyProcess filesystem(
            String host, int port, Path dataDir, Path workDir, String identity, String credential)
            throws Exception {
        Properties p = common(host, port, identity, credential);
        p.setProperty("jclouds.provider", "filesystem");
        p.setProperty("jclouds.filesystem.basedir", dataDir.toString());
        return start(host, port, p, workDir);
    }

    /** Starts a server over jclouds' in-memory store: buckets are made with CreateBucket. */
    public static S3ProxyProcess transientStore(
            int port, Path workDir, String identity, String credential) throws Exception {
        Properties p = common("127.0.0.1", port, identity, credential);
        p.setProperty("jclouds.provider", "transient");
        return start("127.0.0.1", port, p, workDir);
    }

    /** A loopback port free right now. */
    public static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties common(String host, int port, String identity, String credential) {
        Properties p = new Properties();
        p.setProperty("s3proxy.endpoint", "http://" + host + ":" + port);
        p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        p.setProperty("s3proxy.identity", identity);
        p.setProperty("s3proxy.credential", credential);
        p.setProperty("jclouds.identity", identity);
        p.setProperty("jclouds.credential", credential);
        return p;
    }

    private static S3ProxyProcess start(String host, int port, Properties p, Path workDir)
            throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(
                    JAR.toAbsolutePath().normalize()
                            + " is missing: Maven copies it in process-test-resources"
                            + " (./mvnw -pl functions -am test-compile)");
        }
        Path file = workDir.resolve("s3proxy-" + port + ".properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, "S3Proxy for tests");
        }
        S3ProxyProcess s3 = new S3ProxyProcess(host, port, file, p);
        s3.start();
        return s3;
    }

    /** Starts the server (again) and waits until its port answers. */
    public void start() throws Exception {
        starts++;
        process =
                ChildProcess.launch(
                        "s3proxy-" + port + "-" + starts,
                        List.of(
                                ChildProcess.java().toString(),
                                "-Xmx256m",
                                "-jar",
                                JAR.toString(),
                                "--properties",
                                properties.toString()),
                        Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Socket probe = new Socket(InetAddress.getByName(host), port)) {
                return;
            } catch (IOException notYet) {
                if (!process.alive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "S3Proxy did not listen on " + port + ":\n" + process.output());
                }
                Thread.sleep(50);
            }
        }
    }

    /** Stops the server (SIGTERM); its data stays. */
    public void stop() throws InterruptedException {
        process.close();
    }

    /** The server's base URL, for example {@code http://127.0.0.1:41234}. */
    public String endpoint() {
        return "http://" + host + ":" + port;
    }

    /**
     * A plain SDK client for this server, with its credentials; the caller closes it. Checksums
     * only where the S3 API requires them, as quarkus.s3.checksum-validation=false does in the
     * application: S3Proxy refuses the trailing checksums the SDK adds to uploads since 2.30.
     */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(
                        StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(identity, credential)))
                .httpClient(ApacheHttpClient.create())
                .build();
    }

    public String output() {
        return process.output();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
