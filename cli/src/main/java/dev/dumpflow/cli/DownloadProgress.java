package dev.dumpflow.cli;

import java.io.PrintStream;

/**
 * Shows how far a download is, on stderr: a bar redrawn in place when stderr is a terminal, else
 * one line per tenth, so that a log of a long download still says it is moving. Small downloads
 * show nothing.
 */
final class DownloadProgress {

    /** Below this, a download is over before a progress display would help. */
    static final long LARGE = 8L << 20;

    private static final int WIDTH = 30;

    private final PrintStream err;
    private final long total;
    private final boolean terminal;
    private final boolean shown;
    private int lastStep = -1;

    DownloadProgress(PrintStream err, long total, boolean terminal) {
        this.err = err;
        this.total = total;
        this.terminal = terminal;
        this.shown = total >= LARGE;
    }

    /** Reports that {@code done} of the total bytes have arrived. */
    void at(long done) {
        if (!shown) {
            return;
        }
        int percent = (int) Math.min(100, done * 100 / total);
        if (terminal) {
            if (percent != lastStep) {
                lastStep = percent;
                int filled = percent * WIDTH / 100;
                err.print(
                        "\r["
                                + "#".repeat(filled)
                                + " ".repeat(WIDTH - filled)
                                + "] "
                                + percent
                                + "% of "
                                + Sizes.human(total));
                err.flush();
            }
        } else {
            int step = percent / 10;
            if (step != lastStep) {
                lastStep = step;
                err.println("dumpflow dumps: " + Sizes.human(done) + " of " + Sizes.human(total));
            }
        }
    }

    /** Ends the display, leaving the cursor on a new line. */
    void finish() {
        if (shown && terminal) {
            err.println();
        }
    }
}
