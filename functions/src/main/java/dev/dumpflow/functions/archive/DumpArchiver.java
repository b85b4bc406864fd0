package dev.dumpflow.functions.archive;

import dev.dumpflow.analysis.DumpAnalyzer;
import dev.dumpflow.analysis.HeapAnalysis;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFailed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.FailureCode;
import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.growth.ClassHistograms;
import dev.dumpflow.functions.records.DumpRecords;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Archives one closed dump: checks the claim against the Kubernetes API ({@link ClaimCheck}) and
 * the address against the allowed hosts, skips it when it is stored already (re-delivery), else
 * streams it from the sidecar through zstd into a multipart upload, records it, creates the object,
 * verifies it, and only then deletes the dump on the sidecar.
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

    private final S3Client s3;
    private final ArchiveConfig config;
    private final String bucket;
    private final Instance<DumpAnalyzer> analyzers;
    private final ClaimCheck claims;
    private final DumpRecords records;
    private final ArchiveMetrics metrics;
    private final ClassHistograms histograms;
    private final SidecarFetch fetch;
    private final StoredDumps stored;
    private final CompressingCopy copy;
    private final InFlightDumps inFlight = new InFlightDumps();

    DumpArchiver(
            S3Client s3,
            ArchiveConfig config,
            BucketConfig bucket,
            Instance<DumpAnalyzer> analyzers,
            ClaimCheck claims,
            DumpRecords records,
            ArchiveMetrics metrics,
            TransferPacing pacing,
            ClassHistograms histograms) {
        this.s3 = s3;
        this.histograms = histograms;
        this.metrics = metrics;
        this.config = config;
        this.bucket = bucket.name();
        this.analyzers = analyzers;
        this.claims = claims;
        this.records = records;
        this.fetch =
                new SidecarFetch(
                        new AllowedHosts(config.fetch().allowedHosts()),
                        config.fetch().timeout(),
                        config.fetch().resumeAttempts(),
                        pacing);
        this.stored = new StoredDumps(s3);
        this.copy =
                new CompressingCopy(
                        config.compression().level(), config.compression().effectiveWorkers());
    }

    ArchiveOutcome archive(DumpClosed closed) {
        return inFlight.exclusively(closed.dumpId(), () -> archiveNow(closed));
    }

    private ArchiveOutcome archiveNow(DumpClosed closed) {
        String dumpId = closed.dumpId();
        // The claim, then the host, before anything else happens, S3 lookups included.
        PodIdentity pod = claims.verify(closed);
        SidecarFetch.Target target = fetch.target(closed.fetch(), dumpId);
        StoredDumps.Location location =
                new StoredDumps.Location(
                        bucket,
                        StorageLayout.dumpKey(pod, dumpId, closed.format(), closed.closedAt()),
                        dumpId);
        Optional<DumpArchived> recorded = records.read(dumpId);
        if (recorded.isPresent()) {
            DumpArchived record = recorded.get();
            List<String> differences = differences(record, closed, pod, location);
            if (!differences.isEmpty()) {
                return conflict(closed, pod, String.join(", ", differences));
            }
            if (stored.holds(location, record.storedBytes())) {
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
            outcome = transfer(closed, pod, location, target);
        } catch (FunctionFailure e) {
            // A concurrent delivery of the same event, here or in another replica, may have
            // archived it (and deleted the sidecar's copy) in the meantime.
            Optional<DumpArchived> meanwhile =
                    records.read(dumpId)
                            .filter(r -> differences(r, closed, pod, location).isEmpty())
                            .filter(r -> stored.holds(location, r.storedBytes()));
            if (meanwhile.isPresent()) {
                LOG.infof(
                        "dump %s: this attempt failed (%s) but a concurrent one stored it at %s",
                        dumpId, e.getMessage(), location.key());
                return new ArchiveOutcome.Stored(meanwhile.get(), false);
            }
            throw e;
        }
        if (outcome instanceof ArchiveOutcome.Stored) {
            fetch.delete(target);
        }
        return outcome;
    }

    /** How a stored record disagrees with this event about the dump; empty when it agrees. */
    private static List<String> differences(
            DumpArchived record,
            DumpClosed closed,
            PodIdentity pod,
            StoredDumps.Location location) {
        List<String> d = new ArrayList<>();
        if (record.rawBytes() != closed.sizeBytes()) {
            d.add("raw size %d, this one %d".formatted(record.rawBytes(), closed.sizeBytes()));
        }
        if (!record.closedAt().equals(closed.closedAt())) {
            d.add("closed at " + record.closedAt());
        }
        if (record.format() != closed.format() || !record.fileName().equals(closed.fileName())) {
            d.add("file " + record.fileName() + " (" + record.format().wire() + ")");
        }
        if (!record.key().equals(location.key())) {
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

    private ArchiveOutcome transfer(
            DumpClosed closed,
            PodIdentity pod,
            StoredDumps.Location location,
            SidecarFetch.Target target) {
        ArchiveProgress progress =
                new ArchiveProgress(closed.dumpId(), closed.sizeBytes(), location.key());
        PartUploadStream upload =
                new PartUploadStream(
                        s3,
                        location,
                        DumpMetadata.of(closed, pod),
                        UploadSettingsCheck.partSize(config.upload().partSize()),
                        config.upload().concurrency());
        AnalysisTap tap =
                AnalysisTap.startFor(
                        analyzers,
                        closed.format(),
                        closed.dumpId(),
                        config.archive().analysisTimeout());
        boolean finished = false;
        try (InputStream body = fetch.open(target, closed.sizeBytes())) {
            String sha256 =
                    copy.copy(body, closed.sizeBytes(), upload, tap, progress, closed.dumpId());
            long storedBytes = upload.bytesWritten();
            metrics.transferred(closed.sizeBytes(), storedBytes);
            HeapAnalysis analysis = tap == null ? null : tap.result().orElse(null);
            HeapSummary summary = analysis == null ? null : analysis.summary();
            if (summary != null && summary.truncated()) {
                metrics.analysisTruncated(summary.truncationReason());
            }
            DumpArchived mine =
                    DumpMetadata.reply(
                            closed,
                            pod,
                            location.bucket(),
                            location.key(),
                            storedBytes,
                            sha256,
                            progress.elapsedMillis(),
                            Instant.now(),
                            summary);
            // Every part is stored before the record is: a record never names an upload that
            // failed half-way.
            upload.awaitParts();
            // The full histogram, for growth between dumps, before the record: a recorded dump
            // with a complete analysis has its histogram. Partial figures would make false
            // differences, so a cut-off analysis keeps none.
            if (summary != null && !summary.truncated()) {
                histograms.create(closed.dumpId(), sha256, analysis.histogram());
            }
            DumpRecords.Created created = records.create(mine);
            DumpArchived record = created.record();
            if (!created.here() && !record.sha256().equals(sha256)) {
                upload.abort();
                finished = true;
                return conflict(
                        closed, pod, "SHA-256 %s, this one %s".formatted(record.sha256(), sha256));
            }
            boolean createdObject = upload.finish();
            finished = true;
            long expected = createdObject ? storedBytes : record.storedBytes();
            if (!createdObject) {
                LOG.infof(
                        "dump %s: a concurrent delivery stored it at %s first; this upload is"
                                + " dropped",
                        closed.dumpId(), location.key());
            }
            stored.verify(location, expected);
            progress.done(expected);
            return new ArchiveOutcome.Stored(record, createdObject);
        } catch (IOException | SdkException e) {
            abandon(upload, tap, finished);
            throw FunctionFailure.unavailable(
                    "dump %s: archive failed, the dump stays on the sidecar: %s"
                            .formatted(closed.dumpId(), e.getMessage()),
                    e);
        } catch (RuntimeException e) { // a FunctionFailure among them
            abandon(upload, tap, finished);
            throw e;
        }
    }

    private ArchiveOutcome conflict(DumpClosed closed, PodIdentity pod, String differences) {
        LOG.warnf(
                "dump %s: refused, a different dump with this dumpId is stored (%s); the stored"
                        + " dump and its record are left unchanged and this one stays on the"
                        + " sidecar",
                closed.dumpId(), differences);
        return new ArchiveOutcome.Conflict(
                new DumpFailed(
                        closed.dumpId(),
                        "archive",
                        FailureCode.CONFLICT,
                        "a different dump with this dumpId is already stored ("
                                + differences
                                + "); it was left unchanged and this one was not stored",
                        EventTypes.DUMP_CLOSED,
                        closed.fetch().url(),
                        pod));
    }

    /**
     * Leaves no part behind: aborts the multipart upload unless it was finished. A finished object
     * is never deleted: it was created once and may be another replica's verified copy.
     */
    private static void abandon(PartUploadStream upload, AnalysisTap tap, boolean finished) {
        if (tap != null) {
            tap.drop();
        }
        if (!finished) {
            upload.abort();
        }
    }
}
