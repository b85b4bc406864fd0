package dev.dumpflow.functions.archive;

import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The part buffers of one upload, reused: at most {@code count} of them ever exist, so an upload
 * holds about part-size x count bytes whatever the dump's size, and no part is copied twice.
 */
final class PartBuffers {

    private final int size;
    private final int count;
    private final BlockingQueue<byte[]> free;
    private int allocated;

    PartBuffers(int size, int count) {
        this.size = size;
        this.count = count;
        this.free = new ArrayBlockingQueue<>(count);
    }

    /** A free buffer; a new one while fewer than {@code count} exist, else waits for one. */
    byte[] take() throws InterruptedIOException {
        byte[] buffer = free.poll();
        if (buffer != null) {
            return buffer;
        }
        synchronized (this) {
            if (allocated < count) {
                allocated++;
                return new byte[size];
            }
        }
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part buffer");
        }
    }

    /** Gives a buffer back once its part is uploaded (or abandoned). */
    void release(byte[] buffer) {
        free.offer(buffer);
    }
}
