package dev.dumpflow.functions.archive;

import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFailed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.functions.EventData;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.ReplyTypes;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/** The archive function: takes a closed dump out of its pod and into the bucket. */
public class ArchiveFunction {

    private final DumpArchiver archiver;
    private final ArchiveSlots slots;
    private final ArchiveMetrics metrics;

    ArchiveFunction(DumpArchiver archiver, ArchiveSlots slots, ArchiveMetrics metrics) {
        this.archiver = archiver;
        this.slots = slots;
        this.metrics = metrics;
    }

    /**
     * Triggered by {@value EventTypes#DUMP_CLOSED}; replies {@value EventTypes#DUMP_ARCHIVED} once
     * the dump is stored and verified, or {@value EventTypes#DUMP_FAILED} with code {@code
     * conflict} when a different dump of this dumpId is stored, or {@code unredactable} when its
     * redaction policy cannot be applied to it (both 2xx answers, so the Broker does not retry what
     * can never succeed). A claim the Kubernetes API disproves is answered 400.
     *
     * <p>The reply's id derives from the dumpId, so the reply to a re-delivered event is the same
     * event, which receivers deduplicate on source and id.
     *
     * <p>Why {@code responseType} names only {@code dump.archived}: Funqy's mapping holds a single
     * type, and uses it only as the {@code ce-type} of a reply whose {@code CloudEvent} sets none
     * (without it, {@code archive.output}). Both replies below set their own type, which Funqy
     * sends as it is; {@link ReplyTypes} lists both for the routing contract.
     */
    @Funq("archive")
    @CloudEventMapping(
            trigger = EventTypes.DUMP_CLOSED,
            responseType = EventTypes.DUMP_ARCHIVED,
            responseSource = "/dumpflow/archive")
    @ReplyTypes({EventTypes.DUMP_ARCHIVED, EventTypes.DUMP_FAILED})
    public CloudEvent<Object> archive(CloudEvent<DumpClosed> event) {
        DumpClosed closed = EventData.of(event);
        long started = System.nanoTime();
        ArchiveOutcome outcome;
        try {
            outcome = slots.run(closed.dumpId(), () -> archiver.archive(closed));
        } catch (RuntimeException e) {
            boolean refused = e instanceof FunctionFailure f && !f.kind().retryable();
            metrics.archived(
                    refused ? ArchiveMetrics.Outcome.REFUSED : ArchiveMetrics.Outcome.FAILED,
                    since(started));
            throw e;
        }
        return switch (outcome) {
            case ArchiveOutcome.Stored stored -> {
                metrics.archived(
                        stored.uploadedHere()
                                ? ArchiveMetrics.Outcome.STORED
                                : ArchiveMetrics.Outcome.ALREADY_STORED,
                        since(started));
                yield archived(stored.record());
            }
            case ArchiveOutcome.Conflict conflict -> {
                metrics.archived(ArchiveMetrics.Outcome.CONFLICT, since(started));
                yield failed(conflict.failed());
            }
            case ArchiveOutcome.Unredactable unredactable -> {
                metrics.archived(ArchiveMetrics.Outcome.UNREDACTABLE, since(started));
                yield failed(unredactable.failed());
            }
        };
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static CloudEvent<Object> archived(DumpArchived archived) {
        return CloudEventBuilder.create()
                .id(replyId(archived.dumpId()))
                .type(EventTypes.DUMP_ARCHIVED)
                .source("/dumpflow/archive")
                .subject(archived.dumpId())
                .time(archived.archivedAt().atOffset(ZoneOffset.UTC))
                .dataSchema(EventTypes.dataSchema(EventTypes.DUMP_ARCHIVED).toString())
                .extensions(Map.of(EventTypes.DUMPID_EXTENSION, archived.dumpId()))
                .build(archived);
    }

    private static CloudEvent<Object> failed(DumpFailed failed) {
        return CloudEventBuilder.create()
                .id(replyId(failed.dumpId() + "/" + failed.code().wire()))
                .type(EventTypes.DUMP_FAILED)
                .source("/dumpflow/archive")
                .subject(failed.dumpId())
                .dataSchema(EventTypes.dataSchema(EventTypes.DUMP_FAILED).toString())
                .extensions(Map.of(EventTypes.DUMPID_EXTENSION, failed.dumpId()))
                .build(failed);
    }

    private static String replyId(String dumpId) {
        return UUID.nameUUIDFromBytes(
                        ("dumpflow/archive/" + dumpId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
