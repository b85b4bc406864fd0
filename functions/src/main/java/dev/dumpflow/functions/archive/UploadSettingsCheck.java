package dev.dumpflow.functions.archive;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Stops the start-up on a part size S3 or the memory budget cannot live with. */
@ApplicationScoped
class UploadSettingsCheck {

    static final long MIN_PART = 8L << 20;
    static final long MAX_PART = 1L << 30;

    void onStart(@Observes StartupEvent event, ArchiveConfig config) {
        partSize(config.upload().partSize());
    }

    /**
     * The part size in bytes.
     *
     * @throws IllegalArgumentException naming the setting and its range when out of it
     */
    static int partSize(MemorySize size) {
        long bytes = size.asLongValue();
        if (bytes < MIN_PART || bytes > MAX_PART) {
            throw new IllegalArgumentException(
                    "dumpflow.upload.part-size must be between 8MiB and 1GiB, was "
                            + bytes
                            + " bytes");
        }
        return (int) bytes;
    }
}
