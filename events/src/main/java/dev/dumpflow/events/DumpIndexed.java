package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.time.Instant;

/**
 * Data of {@link EventTypes#DUMP_INDEXED}: the dump's index record is written.
 *
 * @param dumpId the dump's id
 * @param indexKey where the record is, from {@link StorageLayout#indexKey}
 * @param record the record as written
 * @param download a time-limited download link, unless links are turned off
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DumpIndexed(String dumpId, String indexKey, IndexRecord record, Download download) {

    public DumpIndexed {
        Checks.dumpId(dumpId);
        Checks.nonBlank(indexKey, "indexKey");
        Checks.nonNull(record, "record");
        if (!record.dumpId().equals(dumpId)) {
            throw new IllegalArgumentException(
                    "record.dumpId " + record.dumpId() + " differs from dumpId " + dumpId);
        }
    }

    /**
     * A presigned GET link to the stored dump.
     *
     * @param url the link
     * @param expiresAt when it stops working
     */
    public record Download(URI url, Instant expiresAt) {
        public Download {
            Checks.nonNull(url, "download.url");
            Checks.nonNull(expiresAt, "download.expiresAt");
        }
    }
}
