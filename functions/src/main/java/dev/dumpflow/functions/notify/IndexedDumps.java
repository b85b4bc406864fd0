package dev.dumpflow.functions.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.StoredObjects;
import dev.dumpflow.functions.records.DumpRecords;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What a {@code dump.indexed} names, read back from the bucket: the archive's record of the dump
 * and the index record the index function wrote. A message is made from these alone, never from the
 * event's data, so a forged event can at most make a true message be sent again.
 */
@ApplicationScoped
class IndexedDumps {

    private final DumpRecords records;
    private final S3Client s3;
    private final ObjectMapper json;
    private final String bucket;

    IndexedDumps(DumpRecords records, S3Client s3, ObjectMapper json, BucketConfig bucket) {
        this.records = records;
        this.s3 = s3;
        this.json = json;
        this.bucket = bucket.name();
    }

    /**
     * The stored truth about an indexed dump.
     *
     * @param record what the archive stored: bucket, key, SHA-256, sizes, verified pod
     * @param index the index record as stored
     * @param indexKey where it is stored
     */
    record Stored(DumpArchived record, IndexRecord index, String indexKey) {}

    /**
     * @throws FunctionFailure claim refused when the bucket holds no such dump or index record, or
     *     they disagree; unavailable when S3 cannot answer
     */
    Stored read(DumpIndexed indexed) {
        String context = "dumpId=" + indexed.dumpId();
        DumpArchived record = records.require(indexed.dumpId());
        String key = indexed.indexKey();
        if (!key.startsWith(StorageLayout.INDEX_PREFIX + "namespace=")) {
            throw FunctionFailure.claimRefused(
                    context + ": refused, the indexKey is not under the index's Hive prefix");
        }
        IndexRecord index = readIndex(context, key);
        if (!StorageLayout.indexKey(index).equals(key)
                || !index.dumpId().equals(record.dumpId())
                || !index.bucket().equals(record.bucket())
                || !index.key().equals(record.key())
                || !index.sha256().equals(record.sha256())
                || !index.pod().namespace().equals(record.pod().namespace())
                || !index.pod().name().equals(record.pod().name())) {
            throw FunctionFailure.claimRefused(
                    context
                            + ": refused, the index record at the event's indexKey is not this"
                            + " dump's");
        }
        return new Stored(record, index, key);
    }

    private IndexRecord readIndex(String context, String key) {
        byte[] body =
                StoredObjects.read(s3, bucket, key)
                        .orElseThrow(
                                () ->
                                        FunctionFailure.claimRefused(
                                                context
                                                        + ": refused, no index record at indexKey"));
        try {
            return json.readValue(body, IndexRecord.class);
        } catch (IOException | RuntimeException e) {
            throw FunctionFailure.claimRefused(
                    context + ": refused, what is at indexKey is no index record");
        }
    }
}
