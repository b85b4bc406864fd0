package dev.dumpflow.functions.archive;

import dev.dumpflow.functions.FunctionFailure;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * A dump's bytes from the sidecar. When the connection is cut, or ends before the announced size,
 * it asks again from where it stopped with an HTTP Range request, a bounded number of times, so a
 * sidecar restart or a network blip does not waste the gigabytes already compressed.
 *
 * <p>A restarting sidecar refuses connections for a few seconds: each resume tries again with a
 * growing pause (200 ms doubling to 2 s) for as long as the fetch timeout, the longest the archive
 * waits for the next bytes of a dump anyway, before it gives up and the Broker retries.
 *
 * <p>Before every request it asks the transfer's {@link TransferPace}: a sidecar that already fell
 * below the minimum rate gets no new connection, so a slow sidecar cannot keep its archive slot by
 * being cut and resumed. The pace's failure then ends the transfer.
 */
final class ResumingBody extends InputStream {

    private static final Logger LOG = Logger.getLogger(ResumingBody.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    private final SidecarFetch fetch;
    private final SidecarFetch.Target target;
    private final long expectedSize;
    private final Duration reconnectWindow;
    private final TransferPace pace;
    private int attemptsLeft;
    private HttpURLConnection connection;
    private InputStream in;
    private long position;

    ResumingBody(
            SidecarFetch fetch,
            SidecarFetch.Target target,
            HttpURLConnection connection,
            long expectedSize,
            int attempts,
            Duration reconnectWindow,
            TransferPace pace)
            throws IOException {
        this.fetch = fetch;
        this.target = target;
        this.connection = connection;
        this.in = connection.getInputStream();
        this.expectedSize = expectedSize;
        this.attemptsLeft = attempts;
        this.reconnectWindow = reconnectWindow;
        this.pace = pace;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        while (true) {
            try {
                int n = in.read(buffer, offset, length);
                if (n < 0 && position < expectedSize) {
                    throw new EOFException(
                            "the transfer ended at byte " + position + " of " + expectedSize);
                }
                if (n > 0) {
                    position += n;
                }
                return n;
            } catch (IOException e) {
                pace.check();
                if (attemptsLeft-- <= 0) {
                    throw e;
                }
                LOG.warnf(
                        "dump %s: transfer cut at byte %d (%s), resuming with a Range request",
                        target.dumpId(), position, e.getMessage());
                resume();
            }
        }
    }

    private void resume() throws IOException {
        connection.disconnect();
        connection = reconnect();
        String range = connection.getHeaderField("Content-Range");
        if (range == null || !range.startsWith("bytes " + position + "-")) {
            connection.disconnect();
            throw new IOException("the sidecar resumed at the wrong place: " + range);
        }
        in = connection.getInputStream();
    }

    /**
     * Asks for the rest until the sidecar answers or the window closes. A refusal (the dump
     * deleted, the token expired) is a FunctionFailure of its own kind and ends it at once, and so
     * is a transfer the pace cuts.
     */
    private HttpURLConnection reconnect() throws IOException {
        long deadline = System.nanoTime() + reconnectWindow.toNanos();
        Duration pause = FIRST_PAUSE;
        while (true) {
            try {
                return fetch.request(target, "GET", position);
            } catch (FunctionFailure e) {
                if (e.kind() != FunctionFailure.Kind.UNAVAILABLE
                        || System.nanoTime() + pause.toNanos() > deadline) {
                    throw e;
                }
                LOG.infof(
                        "dump %s: the sidecar is not back yet, asking again in %d ms",
                        target.dumpId(), pause.toMillis());
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the sidecar");
            }
            pause =
                    pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
                            ? LONGEST_PAUSE
                            : pause.multipliedBy(2);
            pace.check();
        }
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
