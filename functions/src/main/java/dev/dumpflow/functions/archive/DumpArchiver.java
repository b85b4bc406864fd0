package dev.dumpflow.functions.archive;

import dev.dumpflow.analysis.DumpAnalyzer;
import dev.dumpflow.analysis.redact.RedactionMode;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.growth.ClassHistograms;
import dev.dumpflow.functions.records.DumpRecords;
import dev.dumpflow.functions.redact.RedactionPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Archives one closed dump: checks the claim against the Kubernetes API ({@link ClaimCheck}) and
 * the address against the allowed hosts, asks the redaction policy ({@link RedactionPolicy}), skips
 * it when it is stored already (re-delivery), else transfers it ({@link DumpTransfer}: from the
 * sidecar, redacted if the policy says so, through zstd into a multipart upload, recorded, created
 * and verified), and only then deletes the dump on the sidecar. A dump the policy says to redact
 * and that cannot be (not HPROF, or content the redactor cannot parse) is never stored, and its
 * copy on the sidecar is deleted, since the policy forbids keeping it.
 *
 * <p>Created once: the dump's full class histogram ({@link ClassHistograms}, for HPROF with a
 * complete analysis), its record ({@link DumpRecords}, with the SHA-256) and then its object are
 * each created with {@code If-None-Match: *}, and none is ever replaced. The record, before the
 * object, decides: a delivery whose SHA-256 differs from the record's is a {@link
 * ArchiveOutcome.Conflict}, which leaves both as they are. Copies of one event in other replicas
 * find the record, agree with it, and at most one of them creates the object; every copy replies
 * with the record, so all replies are alike.
 */
@ApplicationScoped
class DumpArchiver {

    private static final Logger LOG = Logger.getLogger(DumpArchiver.class);

    private final String bucket;
    private final ClaimCheck claims;
    private final RedactionPolicy policy;
    private final DumpRecords records;
    private final SidecarFetch fetch;
    private final StoredDumps stored;
    private final DumpTransfer transfer;
    private final InFlightDumps inFlight = new InFlightDumps();

    DumpArchiver(
            S3Client s3,
            ArchiveConfig config,
            BucketConfig bucket,
            Instance<DumpAnalyzer> analyzers,
            ClaimCheck claims,
            RedactionPolicy policy,
            DumpRecords records,
            ArchiveMetrics metrics,
            TransferPacing pacing,
            ClassHistograms histograms) {
        this.bucket = bucket.name();
        this.claims = claims;
        this.policy = policy;
        this.records = records;
        this.fetch =
                new SidecarFetch(
                        new AllowedHosts(config.fetch().allowedHosts()),
                        config.fetch().timeout(),
                        config.fetch().resumeAttempts(),
                        pacing);
        this.stored = new StoredDumps(s3);
        this.transfer =
                new DumpTransfer(
                        s3,
                        config,
                        analyzers,
                        records,
                        metrics,
                        histograms,
                        fetch,
                        stored,
                        new CompressingCopy(
                                config.compression().level(),
                                config.compression().effectiveWorkers()));
    }

    ArchiveOutcome archive(DumpClosed closed) {
        return inFlight.exclusively(closed.dumpId(), () -> archiveNow(closed));
    }

    private ArchiveOutcome archiveNow(DumpClosed closed) {
        String dumpId = closed.dumpId();
        // The claim, then the host, then the policy (from the verified pod's namespace and
        // workload), before anything else happens, S3 lookups included.
        PodIdentity pod = claims.verify(closed);
        SidecarFetch.Target target = fetch.target(closed.fetch(), dumpId);
        RedactionMode mode = policy.modeFor(dumpId, pod);
        if (mode != RedactionMode.NONE && !StoredBytes.redactable(closed.format())) {
            return ArchiveRefusals.unredactable(
                    closed,
                    pod,
                    mode,
                    "a %s dump cannot be redacted, only HPROF".formatted(closed.format().wire()),
                    fetch.delete(target));
        }
        ArchivePlan plan =
                ArchivePlan.of(
                        closed, pod, bucket, mode, policy.keepsOriginals(), policy.maxExpansion());
        Optional<DumpArchived> recorded = records.read(dumpId);
        if (recorded.isPresent()) {
            DumpArchived record = recorded.get();
            List<String> differences = differences(record, closed, pod, plan);
            if (!differences.isEmpty()) {
                return ArchiveRefusals.conflict(closed, pod, String.join(", ", differences));
            }
            if (stored.holds(plan.location(), record.storedBytes())) {
                LOG.infof(
                        "dump %s: already stored at %s, not uploaded again", dumpId, record.key());
                fetch.delete(target);
                return new ArchiveOutcome.Stored(record, false);
            }
            // Recorded, but an earlier attempt stopped before the object was complete: store it
            // again; the record's SHA-256 decides whether this is the same dump.
        }
        ArchiveOutcome outcome;
        try {
            outcome = transfer.run(closed, pod, plan, target);
        } catch (FunctionFailure e) {
            // A concurrent delivery of the same event, here or in another replica, may have
            // archived it (and deleted the sidecar's copy) in the meantime.
            Optional<DumpArchived> meanwhile =
                    records.read(dumpId)
                            .filter(r -> differences(r, closed, pod, plan).isEmpty())
                            .filter(r -> stored.holds(plan.location(), r.storedBytes()));
            if (meanwhile.isPresent()) {
                LOG.infof(
                        "dump %s: this attempt failed (%s) but a concurrent one stored it at %s",
                        dumpId, e.getMessage(), plan.location().key());
                return new ArchiveOutcome.Stored(meanwhile.get(), false);
            }
            throw e;
        }
        if (outcome instanceof ArchiveOutcome.Stored) {
            fetch.delete(target);
        }
        return outcome;
    }

    /**
     * How a stored record disagrees with this event, and this archive's plan, about the dump; empty
     * when it agrees. A redacted {@code hprof-gz} is recorded as {@code hprof}, as it is stored; a
     * dump recorded under another redaction mode than the policy's now disagrees, so that it is
     * never stored again under a looser one.
     */
    private static List<String> differences(
            DumpArchived record, DumpClosed closed, PodIdentity pod, ArchivePlan plan) {
        List<String> d = new ArrayList<>();
        if (record.rawBytes() != closed.sizeBytes()) {
            d.add("raw size %d, this one %d".formatted(record.rawBytes(), closed.sizeBytes()));
        }
        if (!record.closedAt().equals(closed.closedAt())) {
            d.add("closed at " + record.closedAt());
        }
        if (record.format() != plan.storedFormat()
                || !record.fileName().equals(closed.fileName())) {
            d.add("file " + record.fileName() + " (" + record.format().wire() + ")");
        }
        if (!ArchivePlan.modeOf(record).equals(plan.mode().wire())) {
            d.add(
                    "redaction %s, the policy now %s"
                            .formatted(ArchivePlan.modeOf(record), plan.mode().wire()));
        }
        if (!record.key().equals(plan.location().key())) {
            d.add("key " + record.key());
        }
        PodIdentity was = record.pod();
        if (!was.namespace().equals(pod.namespace())
                || !was.name().equals(pod.name())
                || !was.container().equals(pod.container())
                || (was.uid() != null && !Objects.equals(was.uid(), pod.uid()))) {
            d.add("pod %s/%s uid %s".formatted(was.namespace(), was.name(), was.uid()));
        }
        return d;
    }
}
