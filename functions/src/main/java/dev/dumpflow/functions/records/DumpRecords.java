package dev.dumpflow.functions.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.StoredObjects;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The record of what the archive stored, one per dump at {@link StorageLayout#byIdKey}: the {@code
 * dump.archived} data (bucket, key, SHA-256, sizes, the pod identity the API verified, the
 * analysis). It is created once, with {@code If-None-Match: *}, and never replaced; index, notify
 * and the dead-letter handler take their facts from it, never from an event.
 */
@ApplicationScoped
public class DumpRecords {

    private final S3Client s3;
    private final ObjectMapper json;
    private final String bucket;

    DumpRecords(S3Client s3, ObjectMapper json, BucketConfig bucket) {
        this.s3 = s3;
        this.json = json;
        this.bucket = bucket.name();
    }

    /** The outcome of {@link #create}. */
    public record Created(DumpArchived record, boolean here) {}

    /**
     * The archive's record of a dump that an event names, which index and notify trust instead of
     * the event.
     *
     * @throws FunctionFailure claim refused when the archive recorded no dump of this id;
     *     unavailable when S3 cannot answer
     */
    public DumpArchived require(String dumpId) {
        return read(dumpId)
                .orElseThrow(
                        () ->
                                FunctionFailure.claimRefused(
                                        "dumpId="
                                                + dumpId
                                                + ": refused, the archive recorded no dump of"
                                                + " this id"));
    }

    /**
     * The stored record of a dump, if any.
     *
     * @throws FunctionFailure unavailable when S3 cannot answer, or the record is unreadable
     */
    public Optional<DumpArchived> read(String dumpId) {
        String key = StorageLayout.byIdKey(dumpId);
        Optional<byte[]> stored = StoredObjects.read(s3, bucket, key);
        if (stored.isEmpty()) {
            return Optional.empty(); // never written, or expired
        }
        byte[] body = stored.get();
        try {
            return Optional.of(json.readValue(body, DumpArchived.class));
        } catch (IOException | RuntimeException e) {
            throw FunctionFailure.unavailable(
                    "dumpId=%s: the record at %s is unreadable (%s)"
                            .formatted(dumpId, key, e.getMessage()),
                    e);
        }
    }

    /**
     * Creates the record unless one exists; returns what is stored then: this record, or the one
     * that was there first (which the caller compares with its own).
     */
    public Created create(DumpArchived record) {
        String key = StorageLayout.byIdKey(record.dumpId());
        byte[] body;
        try {
            body = json.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a dump record did not serialise", e);
        }
        if (StoredObjects.createOnce(s3, bucket, key, body)) {
            return new Created(record, true);
        }
        return new Created(
                read(record.dumpId())
                        .orElseThrow(
                                () ->
                                        FunctionFailure.unavailable(
                                                "dumpId=%s: %s exists but cannot be read yet"
                                                        .formatted(record.dumpId(), key),
                                                null)),
                false);
    }
}
