package dev.dumpflow.functions.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.s3.S3ProxyResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Puts into the test bucket what the archive and the index would have stored for a dump, so that
 * index and notify tests can start from an honest stored dump.
 */
public final class RecordedDumps {

    private RecordedDumps() {}

    /**
     * The archive's record of {@code archived}, at {@code index/_by-id/}, created once as the
     * archive does: a record already there stays.
     */
    public static void record(S3Client s3, ObjectMapper json, DumpArchived archived) {
        try {
            s3.putObject(
                    b ->
                            b.bucket(S3ProxyResource.BUCKET)
                                    .key(StorageLayout.byIdKey(archived.dumpId()))
                                    .contentType("application/json")
                                    .ifNoneMatch("*"),
                    RequestBody.fromBytes(bytes(json, archived)));
        } catch (S3Exception e) {
            if (e.statusCode() != 412) {
                throw e;
            }
        }
    }

    /** The archive's record and the index record that {@code indexed} names. */
    public static void indexed(S3Client s3, ObjectMapper json, DumpIndexed indexed) {
        IndexRecord r = indexed.record();
        record(
                s3,
                json,
                new DumpArchived(
                        r.dumpId(),
                        r.fileName(),
                        r.closedAt(),
                        r.format(),
                        r.cause(),
                        r.pid(),
                        r.bucket(),
                        r.key(),
                        r.codec(),
                        r.rawBytes(),
                        r.storedBytes(),
                        r.sha256(),
                        0,
                        r.archivedAt(),
                        r.analysis(),
                        r.pod(),
                        r.redaction()));
        put(s3, indexed.indexKey(), bytes(json, r));
    }

    private static byte[] bytes(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(S3Client s3, String key, byte[] body) {
        s3.putObject(
                b -> b.bucket(S3ProxyResource.BUCKET).key(key).contentType("application/json"),
                RequestBody.fromBytes(body));
    }
}
