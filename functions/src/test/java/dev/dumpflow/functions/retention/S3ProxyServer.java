package dev.dumpflow.functions.retention;

import dev.dumpflow.functions.s3.S3ProxyProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * S3Proxy as its own process on a free loopback port, over jclouds' in-memory blob store: the
 * embedded S3 of the local stack, which has no lifecycle support.
 */
final class S3ProxyServer implements AutoCloseable {

    private final S3ProxyProcess proxy;
    private final Path work;

    private S3ProxyServer(S3ProxyProcess proxy, Path work) {
        this.proxy = proxy;
        this.work = work;
    }

    static S3ProxyServer start() throws Exception {
        Path work = Files.createTempDirectory("s3proxy-transient");
        return new S3ProxyServer(
                S3ProxyProcess.transientStore(
                        S3ProxyProcess.freePort(),
                        work,
                        LoopbackS3Client.ACCESS_KEY,
                        LoopbackS3Client.SECRET_KEY),
                work);
    }

    URI endpoint() {
        return URI.create(proxy.endpoint());
    }

    @Override
    public void close() throws Exception {
        proxy.close();
        try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
