package dev.dumpflow.functions.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.BucketConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The gate's audit trail: one object per decision under {@link StorageLayout#AUDIT_PREFIX}, holding
 * one JSON line. S3 has no append, so each decision is its own object, created with {@code
 * If-None-Match: *} so that nothing already written is replaced; the gate has no code that deletes
 * or rewrites one, and Terraform grants it put without delete. A decision that cannot be recorded
 * is not carried out: the request is answered 503.
 */
@ApplicationScoped
public class AuditTrail {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final S3Client s3;
    private final ObjectMapper json;
    private final String bucket;

    AuditTrail(S3Client s3, ObjectMapper json, BucketConfig bucket) {
        this.s3 = s3;
        this.json = json;
        this.bucket = bucket.name();
    }

    /**
     * Stores the decision as a new object.
     *
     * @throws GateUnavailable when the bucket does not take it
     */
    public void record(AuditLine line) {
        byte[] nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        String key = StorageLayout.auditKey(line.at(), HexFormat.of().formatHex(nonce));
        byte[] body;
        try {
            body = (json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit line did not serialise", e);
        }
        try {
            s3.putObject(
                    b ->
                            b.bucket(bucket)
                                    .key(key)
                                    .contentType("application/x-ndjson")
                                    .ifNoneMatch("*"),
                    RequestBody.fromBytes(body));
        } catch (SdkException e) {
            throw new GateUnavailable("the audit line could not be stored: " + e.getMessage(), e);
        }
    }
}
