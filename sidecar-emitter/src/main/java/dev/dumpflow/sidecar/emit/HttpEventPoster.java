package dev.dumpflow.sidecar.emit;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One attempt at delivering one event: an HTTP POST in CloudEvents binary mode.
 *
 * <p>Through {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: the sidecar
 * sends a few small events a day, one at a time, and the client's selector thread, HTTP/2 and
 * eagerly built TLS context cost megabytes of resident memory that the sidecar's budget does not
 * have. Connections are kept alive and reused by the JDK's keep-alive cache; TLS is loaded only for
 * an {@code https} sink. System proxy settings are ignored, as the in-cluster broker is reached
 * directly.
 *
 * <p>Each post presents the sidecar's Knative OIDC token, read afresh from its file ({@link
 * SinkToken}), as {@code Authorization: Bearer}; without the file, none. The token is never logged
 * and never appears in an exception message.
 */
public final class HttpEventPoster {

    private final URI sink;
    private final int timeoutMillis;
    private final SinkToken token;

    /**
     * Posts to the sink with the given connect and read timeout, presenting the token in {@code
     * tokenFile} whenever that file exists.
     */
    public HttpEventPoster(URI sink, Duration timeout, Path tokenFile) {
        this.sink = sink;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
        this.token = new SinkToken(tokenFile);
    }

    /**
     * A GET, answered with the status. The sidecar probes its own health endpoint with it at
     * start-up, which also loads the HTTP classes before the first dump needs them.
     */
    public int probe(URI uri) throws IOException, InterruptedException {
        HttpURLConnection connection = open(uri);
        connection.setRequestMethod("GET");
        return answer(connection);
    }

    /**
     * Posts the event and returns the HTTP status.
     *
     * @throws IOException when no answer came (refused, reset, timed out), or the token file exists
     *     but gives no token; both are retryable
     * @throws InterruptedException when the thread was interrupted before the post began
     */
    public int post(CloudEvent event) throws IOException, InterruptedException {
        Optional<String> bearer = token.read();
        HttpURLConnection connection = open(sink);
        connection.setRequestMethod("POST");
        if (bearer.isPresent()) {
            connection.setRequestProperty("Authorization", "Bearer " + bearer.get());
        }
        byte[][] body = new byte[1][];
        HttpMessageFactory.createWriter(connection::setRequestProperty, bytes -> body[0] = bytes)
                .writeBinary(event);
        byte[] bytes = body[0] == null ? new byte[0] : body[0];
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(bytes);
        }
        return answer(connection);
    }

    private HttpURLConnection open(URI uri) throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before " + uri.getScheme() + " request");
        }
        HttpURLConnection connection =
                (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        connection.setConnectTimeout(timeoutMillis);
        connection.setReadTimeout(timeoutMillis);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        return connection;
    }

    /** The status, with the answer's body read to its end so that the connection can be reused. */
    private static int answer(HttpURLConnection connection) throws IOException {
        int status = connection.getResponseCode();
        try (InputStream body =
                status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            if (body != null) {
                body.transferTo(OutputStream.nullOutputStream());
            }
        }
        return status;
    }
}
