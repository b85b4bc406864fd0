package dev.dumpflow.functions.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFailed;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.archive.ClaimCheck;
import dev.dumpflow.functions.records.DumpRecords;
import io.cloudevents.CloudEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The dead-letter handler's own check before it announces a lost dump: the dump must be provable. A
 * dead-lettered {@code dump.closed} must hold against the Kubernetes API as the archive checks it
 * ({@link ClaimCheck}); a dead-lettered {@code dump.archived} or {@code dump.indexed} must name a
 * dump the archive recorded, and the notice then names the recorded pod. Anything else is dropped
 * with a log line, so a forged dead letter ("Dump NOT saved from team-c/db-0") reaches nobody, and
 * nor does the dead letter of a claim the archive refused.
 */
@ApplicationScoped
class LetterCheck {

    private static final Logger LOG = Logger.getLogger(LetterCheck.class);

    private final ClaimCheck claims;
    private final DumpRecords records;
    private final ObjectMapper json;

    LetterCheck(ClaimCheck claims, DumpRecords records, ObjectMapper json) {
        this.claims = claims;
        this.records = records;
        this.json = json;
    }

    /**
     * The notice to send, with the pod as proved; empty when the letter proves nothing.
     *
     * @throws FunctionFailure unavailable while the API or S3 cannot answer
     */
    Optional<DumpFailed> check(CloudEvent letter, DumpFailed notice) {
        if ("archive".equals(notice.stage())) {
            DumpClosed closed;
            try {
                closed = json.readValue(letter.getData().toBytes(), DumpClosed.class);
            } catch (IOException | RuntimeException e) {
                return dropped(notice, "its dump.closed is not a valid one");
            }
            try {
                PodIdentity pod = claims.verify(closed);
                return Optional.of(with(notice, pod, notice.location()));
            } catch (FunctionFailure e) {
                if (e.kind() == FunctionFailure.Kind.CLAIM_REFUSED) {
                    return dropped(notice, e.getMessage());
                }
                throw e;
            }
        }
        Optional<DumpArchived> record = records.read(notice.dumpId());
        if (record.isEmpty()) {
            return dropped(notice, "the archive recorded no dump of this id");
        }
        DumpArchived r = record.get();
        return Optional.of(with(notice, r.pod(), URI.create("s3://" + r.bucket() + "/" + r.key())));
    }

    private static DumpFailed with(DumpFailed notice, PodIdentity pod, URI location) {
        return new DumpFailed(
                notice.dumpId(),
                notice.stage(),
                notice.code(),
                notice.reason(),
                notice.failedType(),
                location,
                pod);
    }

    private static Optional<DumpFailed> dropped(DumpFailed notice, String why) {
        LOG.warnf(
                "dumpId=%s: dead letter of %s dropped, nobody is told: %s",
                notice.dumpId(), notice.failedType(), why);
        return Optional.empty();
    }
}
