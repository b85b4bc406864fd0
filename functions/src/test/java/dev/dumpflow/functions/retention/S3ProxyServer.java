package dev.dumpflow.functions.retention;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * S3Proxy in-process on a free loopback port, over jclouds' in-memory blob store: the embedded S3
 * of the local stack, which has no lifecycle support.
 */
final class S3ProxyServer implements AutoCloseable {

    private final S3Proxy proxy;
    private final BlobStoreContext context;

    private S3ProxyServer(S3Proxy proxy, BlobStoreContext context) {
        this.proxy = proxy;
        this.context = context;
    }

    static S3ProxyServer start() throws Exception {
        Properties properties = new Properties();
        BlobStoreContext context =
                ContextBuilder.newBuilder("transient")
                        .credentials("identity", "credential")
                        .overrides(properties)
                        .build(BlobStoreContext.class);
        S3Proxy proxy =
                S3Proxy.builder()
                        .blobStore(context.getBlobStore())
                        .endpoint(URI.create("http://127.0.0.1:0"))
                        .awsAuthentication(
                                AuthenticationType.AWS_V2_OR_V4,
                                LoopbackS3Client.ACCESS_KEY,
                                LoopbackS3Client.SECRET_KEY)
                        .build();
        proxy.start();
        return new S3ProxyServer(proxy, context);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
