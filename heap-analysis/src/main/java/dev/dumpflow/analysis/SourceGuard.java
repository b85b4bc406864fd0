package dev.dumpflow.analysis;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Remembers whether the raw stream itself failed, so that the analyzer can tell a broken source
 * (which propagates) from a corrupt gzip layer above it (a content problem, which does not).
 */
final class SourceGuard extends FilterInputStream {

    private IOException failure;

    SourceGuard(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /** The source's own failure, or null when it never failed. */
    IOException failure() {
        return failure;
    }

    /**
     * Reads the source to its end. The archive tees the dump into this stream: stopping early would
     * stall the archive, so a parse that gives up still consumes every byte.
     */
    void drain() throws IOException {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }
}
