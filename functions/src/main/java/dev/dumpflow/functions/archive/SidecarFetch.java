package dev.dumpflow.functions.archive;

import dev.dumpflow.events.FetchLocation;
import dev.dumpflow.functions.FunctionFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Talks to the sidecar's file server: pulls a dump and, once it is stored, deletes it there.
 *
 * <p>It connects to the address {@link AllowedHosts} checked, by IP literal, never to the name
 * again (no window for DNS rebinding), never through a proxy, and never follows a redirect. The
 * bearer token goes only into the Authorization header and never into a message.
 */
final class SidecarFetch {

    private static final Logger LOG = Logger.getLogger(SidecarFetch.class);

    private final AllowedHosts allowed;
    private final Duration timeout;
    private final int resumeAttempts;
    private final TransferPacing pacing;

    SidecarFetch(
            AllowedHosts allowed, Duration timeout, int resumeAttempts, TransferPacing pacing) {
        this.allowed = allowed;
        this.timeout = timeout;
        this.resumeAttempts = resumeAttempts;
        this.pacing = pacing;
    }

    /** A dump's URL on the sidecar, pinned to a checked address. */
    record Target(URL url, String token, String dumpId) {
        @Override
        public String toString() {
            return "Target[url=" + url + ", token=<redacted>, dumpId=" + dumpId + "]";
        }
    }

    /**
     * Checks the fetch URL's host and pins it to the checked address.
     *
     * @throws FunctionFailure not allowed, or unavailable when the host does not resolve now
     */
    Target target(FetchLocation location, String dumpId) {
        InetAddress address = allowed.check(location.url(), dumpId);
        URI url = location.url();
        String host =
                address instanceof Inet6Address
                        ? "[" + address.getHostAddress() + "]"
                        : address.getHostAddress();
        String pinned =
                url.getScheme()
                        + "://"
                        + host
                        + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                        + (url.getRawPath() == null ? "" : url.getRawPath())
                        + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        try {
            return new Target(URI.create(pinned).toURL(), location.token(), dumpId);
        } catch (IOException | IllegalArgumentException e) {
            throw FunctionFailure.unprocessable("dump " + dumpId + ": bad fetch URL", e);
        }
    }

    /**
     * Starts the transfer of the whole dump; the stream resumes with a Range request when the
     * connection is cut, and ends with a retryable failure when the sidecar falls below the minimum
     * pace ({@link TransferPace}).
     */
    InputStream open(Target target, long expectedSize) {
        HttpURLConnection connection = request(target, "GET", 0);
        long length = connection.getContentLengthLong();
        if (length >= 0 && length != expectedSize) {
            connection.disconnect();
            throw FunctionFailure.unprocessable(
                    "dump %s: the sidecar serves %d bytes, the event announced %d"
                            .formatted(target.dumpId(), length, expectedSize),
                    null);
        }
        TransferPace pace = pacing.start(target.dumpId(), expectedSize);
        try {
            return new PacedBody(
                    new ResumingBody(
                            this, target, connection, expectedSize, resumeAttempts, timeout, pace),
                    pace);
        } catch (IOException e) {
            connection.disconnect();
            throw FunctionFailure.unavailable(
                    "dump " + target.dumpId() + ": the sidecar transfer failed", e);
        }
    }

    /**
     * Frees the pod's volume. A failure is logged and swallowed: the dump is safe in the bucket,
     * and the sidecar announces it again, which finds it archived.
     *
     * @return whether the sidecar confirmed the delete
     */
    boolean delete(Target target) {
        try {
            HttpURLConnection connection = request(target, "DELETE", 0);
            connection.disconnect();
            LOG.infof("dump %s: deleted on the sidecar", target.dumpId());
            return true;
        } catch (FunctionFailure e) {
            LOG.warnf(
                    "dump %s: could not delete it on the sidecar: %s",
                    target.dumpId(), e.getMessage());
            return false;
        }
    }

    /**
     * Sends one request and checks its status.
     *
     * @param from the first byte wanted; above 0 sends a Range request and expects 206
     */
    HttpURLConnection request(Target target, String method, long from) {
        HttpURLConnection connection = null;
        int status;
        try {
            connection = (HttpURLConnection) target.url().openConnection(Proxy.NO_PROXY);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout(Math.toIntExact(timeout.toMillis()));
            connection.setReadTimeout(Math.toIntExact(timeout.toMillis()));
            connection.setRequestMethod(method);
            connection.setRequestProperty("Authorization", "Bearer " + target.token());
            connection.setRequestProperty("Accept-Encoding", "identity");
            if (from > 0) {
                connection.setRequestProperty("Range", "bytes=" + from + "-");
            }
            status = connection.getResponseCode();
        } catch (IOException e) {
            if (connection != null) {
                connection.disconnect();
            }
            throw FunctionFailure.unavailable(
                    "dump %s: the sidecar at %s is unreachable (%s)"
                            .formatted(target.dumpId(), target.url().getAuthority(), e),
                    e);
        }
        if (status / 100 == 2 && (from == 0 || status == 206)) {
            return connection;
        }
        connection.disconnect();
        String what =
                "dump %s: the sidecar answered %d to %s".formatted(target.dumpId(), status, method);
        if (status / 100 == 3) {
            throw FunctionFailure.notAllowed(what + ", a redirect, which is never followed");
        }
        if (status == 408 || status == 429 || status / 100 == 5) {
            throw FunctionFailure.unavailable(what, null);
        }
        if (status == 206 || status / 100 == 2) {
            throw FunctionFailure.unavailable(what + " without honouring the Range", null);
        }
        // 401, 403: the token is wrong or expired; 404, 410: the dump is gone. A re-announce brings
        // a fresh event, so retrying this one is useless.
        throw FunctionFailure.unprocessable(what, null);
    }
}
