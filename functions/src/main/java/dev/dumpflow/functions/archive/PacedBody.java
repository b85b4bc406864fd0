package dev.dumpflow.functions.archive;

import dev.dumpflow.functions.FunctionFailure;
import java.io.IOException;
import java.io.InputStream;

/**
 * A dump's bytes from the sidecar, each read timed by the transfer's {@link TransferPace}: the one
 * place where the raw bytes from the sidecar are measured. A read that leaves the transfer below
 * its pace ends it with a retryable {@link FunctionFailure} instead of returning.
 */
final class PacedBody extends InputStream {

    private final InputStream in;
    private final TransferPace pace;

    PacedBody(InputStream in, TransferPace pace) {
        this.in = in;
        this.pace = pace;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        pace.readStarted();
        int n;
        try {
            n = in.read(buffer, offset, length);
        } catch (IOException | RuntimeException e) {
            pace.readFailed();
            throw e;
        }
        pace.readEnded(n);
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
