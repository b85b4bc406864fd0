package dev.dumpflow.functions.retention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Adobe S3Mock as a separate process from its exec jar (maven-dependency-plugin copies it into
 * target/), on a free loopback port. S3Mock stores lifecycle configuration, which S3Proxy does not.
 */
final class S3MockServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path root;
    private final Path log;
    private final URI endpoint;

    private S3MockServer(Process process, Path root, Path log, URI endpoint) {
        this.process = process;
        this.root = root;
        this.log = log;
        this.endpoint = endpoint;
    }

    /** Starts S3Mock and returns once it answers on its HTTP port. */
    static S3MockServer start() {
        Path jar =
                Path.of(
                        System.getProperty(
                                "dumpflow-test.s3mock-jar", "target/s3mock/s3mock-exec.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "S3Mock exec jar not found at " + jar + "; run the build through Maven");
        }
        try {
            Path root = Files.createTempDirectory("s3mock-root");
            Path log = Files.createTempFile("s3mock", ".log");
            int port = freePort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process =
                    new ProcessBuilder(
                                    List.of(
                                            java,
                                            "-Xmx256m",
                                            "-jar",
                                            jar.toString(),
                                            "--server.address=127.0.0.1",
                                            "--server.port=0",
                                            "--com.adobe.testing.s3mock.http-port=" + port,
                                            "--com.adobe.testing.s3mock.store.root=" + root,
                                            "--spring.main.banner-mode=off"))
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            S3MockServer server =
                    new S3MockServer(process, root, log, URI.create("http://127.0.0.1:" + port));
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI endpoint() {
        return endpoint;
    }

    private void awaitReady() throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "S3Mock exited at start-up:\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> response =
                        http.send(
                                HttpRequest.newBuilder(endpoint).GET().build(),
                                HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while S3Mock started", e);
            }
            process.onExit().completeOnTimeout(null, 200, TimeUnit.MILLISECONDS).join();
        }
        close();
        throw new IllegalStateException(
                "S3Mock did not answer within " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(root);
        deleteQuietly(log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path path) {
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // S3Mock removes its root itself on a clean exit
        }
    }
}
