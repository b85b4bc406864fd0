package dev.dumpflow.sidecar.emit;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** One attempt at delivering one event: an HTTP POST in CloudEvents binary mode. */
public final class HttpEventPoster {

    private final HttpClient client;
    private final URI sink;
    private final Duration timeout;

    /** Posts to the sink with the given per-request timeout. */
    public HttpEventPoster(URI sink, Duration timeout) {
        this.sink = sink;
        this.timeout = timeout;
        HttpClient.Builder builder =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER);
        if ("http".equals(sink.getScheme())) {
            // The client builds the default TLS context eagerly, trust store and all; a plain-HTTP
            // sink (the usual in-cluster broker) never uses it, and it costs megabytes of RSS.
            builder.sslContext(unusedTls());
        }
        this.client = builder.build();
    }

    private static SSLContext unusedTls() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return context;
        } catch (GeneralSecurityException unavailable) {
            throw new IllegalStateException("no TLS implementation", unavailable);
        }
    }

    /**
     * A GET through the same client, answered with the status. The sidecar probes its own health
     * endpoint with it at start-up, which also loads the client's classes before the first dump
     * needs them.
     */
    public int probe(URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * Posts the event and returns the HTTP status.
     *
     * @throws IOException when no answer came (refused, reset, timed out), which is retryable
     */
    public int post(CloudEvent event) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(sink).timeout(timeout);
        byte[][] body = new byte[1][];
        HttpMessageFactory.createWriter(request::header, bytes -> body[0] = bytes)
                .writeBinary(event);
        request.POST(
                body[0] == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body[0]));
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
