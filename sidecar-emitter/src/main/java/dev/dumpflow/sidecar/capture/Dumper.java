package dev.dumpflow.sidecar.capture;

import dev.dumpflow.sidecar.memory.WatchedProcess;
import java.io.IOException;
import java.nio.file.Path;

/** Makes one runtime write a dump of itself. */
public interface Dumper {

    /** The file name extension of the dumps it makes, without the dot. */
    String extension();

    /**
     * Asks the process to write its dump and returns once the file is complete.
     *
     * @param process the target
     * @param file the absolute path the target writes to, as the target sees it
     * @throws IOException when the runtime cannot be reached or reports a failure
     */
    void dump(WatchedProcess process, Path file) throws IOException;
}
