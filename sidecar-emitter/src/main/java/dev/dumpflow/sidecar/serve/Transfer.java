package dev.dumpflow.sidecar.serve;

import java.time.Duration;

/**
 * One granted transfer of a dump's bytes: the slot it holds, the buffer it borrowed, the thread
 * that sends, and when its client last took bytes. Closing it gives the slot and the buffer back.
 *
 * <p>A transfer is cut by interrupting its sender: the sender is blocked writing to the client's
 * socket channel, and an interrupted channel operation closes the channel, which ends the
 * connection and makes the write throw. That needs nothing from the HTTP server, which offers no
 * write timeout and no way to reach an exchange's socket.
 */
final class Transfer implements AutoCloseable {

    private final TransferSlots slots;
    private final String dumpId;
    private final byte[] buffer;
    private final Thread sender;
    private volatile long lastProgressNanos = System.nanoTime();
    private boolean ended;
    private boolean cut;

    Transfer(TransferSlots slots, String dumpId, byte[] buffer, Thread sender) {
        this.slots = slots;
        this.dumpId = dumpId;
        this.buffer = buffer;
        this.sender = sender;
    }

    String dumpId() {
        return dumpId;
    }

    /** The chunk buffer lent to this transfer until it is closed. */
    byte[] buffer() {
        return buffer;
    }

    /** The client took more bytes. */
    void progressed() {
        lastProgressNanos = System.nanoTime();
    }

    /**
     * Cuts the transfer if its client has taken nothing for the timeout, unless it has ended or was
     * cut already.
     *
     * @return whether this call cut it
     */
    synchronized boolean cutIfStalled(long nowNanos, Duration timeout) {
        if (ended || cut || nowNanos - lastProgressNanos < timeout.toNanos()) {
            return false;
        }
        cut = true;
        sender.interrupt();
        return true;
    }

    /** Ends the transfer: it can no longer be cut, and its slot and buffer go back. */
    @Override
    public void close() {
        synchronized (this) {
            ended = true;
        }
        slots.release(this);
    }
}
