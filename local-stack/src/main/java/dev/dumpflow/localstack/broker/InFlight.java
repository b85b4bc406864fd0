package dev.dumpflow.localstack.broker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Counts the deliveries under way, the routing of their replies included, and waits for none. */
final class InFlight {

    private int count; // guarded by this

    synchronized void started() {
        count++;
    }

    synchronized void finished() {
        if (--count == 0) {
            notifyAll();
        }
    }

    /**
     * Waits until no delivery is under way.
     *
     * @return false if deliveries were still under way when the timeout ran out
     */
    synchronized boolean awaitNone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
