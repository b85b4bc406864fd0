package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@link EventTypes#DUMP_INDEXED}: the dump's index record is written.
 *
 * @param dumpId the dump's id
 * @param indexKey where the record is, from {@link StorageLayout#indexKey}
 * @param record the record as written
 *     <p>No download link: every subscriber of the Broker receives this event, so a link in it
 *     would be a bearer credential for all of them. Notify signs its own, from what the archive
 *     stored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DumpIndexed(String dumpId, String indexKey, IndexRecord record) {

    public DumpIndexed {
        Checks.dumpId(dumpId);
        Checks.identifier(indexKey, "indexKey", Checks.IDENTIFIER_MAX);
        Checks.nonNull(record, "record");
        if (!record.dumpId().equals(dumpId)) {
            throw new IllegalArgumentException(
                    "record.dumpId " + record.dumpId() + " differs from dumpId " + dumpId);
        }
    }
}
