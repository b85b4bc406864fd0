package dev.dumpflow.functions.archive;

import dev.dumpflow.analysis.DumpAnalyzer;
import dev.dumpflow.analysis.HeapAnalysis;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.Redaction;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.growth.ClassHistograms;
import dev.dumpflow.functions.records.DumpRecords;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One transfer of a dump, as {@link ArchivePlan} says: pulls it from the sidecar ({@link RawBody}),
 * redacts it when the plan says so ({@link StoredBytes}), compresses it into a multipart upload
 * while hashing and analysing what is stored ({@link CompressingCopy}), and with a kept original
 * compresses the bytes as fetched into a second upload under {@code raw/}. Then it stores the
 * histogram and the record, creates the original (if kept) and the dump's object, each once, and
 * verifies the dump's object. Whatever fails leaves no part behind.
 */
final class DumpTransfer {

    private static final Logger LOG = Logger.getLogger(DumpTransfer.class);

    private final S3Client s3;
    private final ArchiveConfig config;
    private final Iterable<DumpAnalyzer> analyzers;
    private final DumpRecords records;
    private final ArchiveMetrics metrics;
    private final ClassHistograms histograms;
    private final SidecarFetch fetch;
    private final StoredDumps stored;
    private final CompressingCopy copy;

    DumpTransfer(
            S3Client s3,
            ArchiveConfig config,
            Iterable<DumpAnalyzer> analyzers,
            DumpRecords records,
            ArchiveMetrics metrics,
            ClassHistograms histograms,
            SidecarFetch fetch,
            StoredDumps stored,
            CompressingCopy copy) {
        this.s3 = s3;
        this.config = config;
        this.analyzers = analyzers;
        this.records = records;
        this.metrics = metrics;
        this.histograms = histograms;
        this.fetch = fetch;
        this.stored = stored;
        this.copy = copy;
    }

    /**
     * Stores the dump, or refuses it as a conflict or as unredactable.
     *
     * @throws FunctionFailure when a part of the way fails for now (retried) or for good
     */
    ArchiveOutcome run(
            DumpClosed closed, PodIdentity pod, ArchivePlan plan, SidecarFetch.Target target) {
        StoredDumps.Location location = plan.location();
        ArchiveProgress progress =
                new ArchiveProgress(closed.dumpId(), closed.sizeBytes(), location.key());
        PartUploadStream upload =
                uploadTo(location, DumpMetadata.of(closed, pod, plan.storedFormat(), plan.mode()));
        PartUploadStream originalUpload =
                plan.original() == null
                        ? null
                        : uploadTo(plan.original(), DumpMetadata.of(closed, pod));
        AnalysisTap tap =
                AnalysisTap.startFor(
                        analyzers,
                        plan.storedFormat(),
                        closed.dumpId(),
                        config.archive().analysisTimeout());
        ZstdFrame originalFrame = null;
        boolean finished = false;
        try (InputStream body = fetch.open(target, closed.sizeBytes())) {
            originalFrame = originalUpload == null ? null : copy.frame(originalUpload);
            RawBody raw =
                    new RawBody(
                            body,
                            closed.sizeBytes(),
                            closed.dumpId(),
                            progress,
                            plan.redacting() ? CompressingCopy.sha256() : null,
                            originalFrame);
            String sha256 =
                    copy.copy(
                            StoredBytes.of(
                                    raw,
                                    closed.format(),
                                    plan.mode(),
                                    closed.dumpId(),
                                    plan.maxStoredBytes()),
                            upload,
                            tap);
            if (originalFrame != null) {
                originalFrame.finish();
            }
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
                            summary,
                            plan.storedFormat(),
                            plan.redacting()
                                    ? new Redaction(
                                            plan.mode().wire(),
                                            raw.sha256(),
                                            originalUpload != null)
                                    : null);
            // Every part is stored before the record is: a record never names an upload that
            // failed half-way.
            upload.awaitParts();
            if (originalUpload != null) {
                originalUpload.awaitParts();
            }
            // The full histogram, for growth between dumps, before the record: a recorded dump
            // with a complete analysis has its histogram. Partial figures would make false
            // differences, so a cut-off analysis keeps none.
            if (summary != null && !summary.truncated()) {
                histograms.create(closed.dumpId(), sha256, analysis.histogram());
            }
            DumpRecords.Created created = records.create(mine);
            DumpArchived record = created.record();
            if (!created.here() && !record.sha256().equals(sha256)) {
                abandon(upload, originalUpload, null, tap, false);
                finished = true;
                return ArchiveRefusals.conflict(
                        closed, pod, "SHA-256 %s, this one %s".formatted(record.sha256(), sha256));
            }
            // The original before the dump: the dump's object is what a re-delivery finds
            // complete, so an original that failed is uploaded again with it.
            if (originalUpload != null) {
                originalUpload.finish();
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
        } catch (UnredactableDump e) {
            abandon(upload, originalUpload, originalFrame, tap, finished);
            return ArchiveRefusals.unredactable(
                    closed, pod, plan.mode(), e.getMessage(), fetch.delete(target));
        } catch (IOException | SdkException e) {
            abandon(upload, originalUpload, originalFrame, tap, finished);
            throw FunctionFailure.unavailable(
                    "dump %s: archive failed, the dump stays on the sidecar: %s"
                            .formatted(closed.dumpId(), e.getMessage()),
                    e);
        } catch (RuntimeException e) { // a FunctionFailure among them
            abandon(upload, originalUpload, originalFrame, tap, finished);
            throw e;
        }
    }

    private PartUploadStream uploadTo(StoredDumps.Location location, Map<String, String> metadata) {
        return new PartUploadStream(
                s3,
                location,
                metadata,
                UploadSettingsCheck.partSize(config.upload().partSize()),
                config.upload().concurrency());
    }

    /**
     * Leaves no part behind: aborts the multipart upload unless it was finished. A finished object
     * is never deleted: it was created once and may be another replica's verified copy.
     */
    private static void abandon(
            PartUploadStream upload,
            PartUploadStream original,
            ZstdFrame originalFrame,
            AnalysisTap tap,
            boolean finished) {
        if (tap != null) {
            tap.drop();
        }
        if (originalFrame != null) {
            originalFrame.discard();
        }
        if (!finished) {
            upload.abort();
            if (original != null) {
                original.abort();
            }
        }
    }
}
