package dev.dumpflow.functions.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import org.jboss.logging.Logger;

/**
 * A dump's bytes from the sidecar. When the connection is cut, or ends before the announced size,
 * it asks again from where it stopped with an HTTP Range request, a bounded number of times, so a
 * sidecar restart or a network blip does not waste the gigabytes already compressed.
 */
final class ResumingBody extends InputStream {

    private static final Logger LOG = Logger.getLogger(ResumingBody.class);

    private final SidecarFetch fetch;
    private final SidecarFetch.Target target;
    private final long expectedSize;
    private int attemptsLeft;
    private HttpURLConnection connection;
    private InputStream in;
    private long position;

    ResumingBody(
            SidecarFetch fetch,
            SidecarFetch.Target target,
            HttpURLConnection connection,
            long expectedSize,
            int attempts)
            throws IOException {
        this.fetch = fetch;
        this.target = target;
        this.connection = connection;
        this.in = connection.getInputStream();
        this.expectedSize = expectedSize;
        this.attemptsLeft = attempts;
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
        // A refusal now (the dump deleted, the token expired) is a FunctionFailure of its own kind.
        connection = fetch.request(target, "GET", position);
        String range = connection.getHeaderField("Content-Range");
        if (range == null || !range.startsWith("bytes " + position + "-")) {
            connection.disconnect();
            throw new IOException("the sidecar resumed at the wrong place: " + range);
        }
        in = connection.getInputStream();
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
