package dev.dumpflow.sidecar;

import java.util.logging.LogManager;

/**
 * The JDK's log manager, except that its shutdown-time reset waits until the sidecar has stopped.
 * The stock manager resets (and so silences) every handler from its own shutdown hook, which runs
 * alongside the sidecar's and would swallow the lines that say how the stop went.
 */
public final class OrderlyLogManager extends LogManager {

    private static volatile OrderlyLogManager instance;
    private volatile boolean deferResets;

    /** Called by {@link LogManager} when {@code java.util.logging.manager} names this class. */
    public OrderlyLogManager() {
        instance = this;
    }

    @Override
    public void reset() {
        if (!deferResets) {
            super.reset();
        }
    }

    /** From now on, resets wait for {@link #resetAfterStop()}; call once start-up is done. */
    static void deferResets() {
        if (instance != null) {
            instance.deferResets = true;
        }
    }

    /** Flushes and closes the handlers, after the last line is logged. */
    static void resetAfterStop() {
        if (instance != null) {
            instance.deferResets = false;
            instance.reset();
        }
    }
}
