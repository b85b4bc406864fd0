package dev.dumpflow.functions.archive;

import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.functions.EventData;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/** The archive function: takes a closed dump out of its pod and into the bucket. */
public class ArchiveFunction {

    private final DumpArchiver archiver;
    private final ArchiveSlots slots;

    ArchiveFunction(DumpArchiver archiver, ArchiveSlots slots) {
        this.archiver = archiver;
        this.slots = slots;
    }

    /**
     * Triggered by {@value EventTypes#DUMP_CLOSED}; replies {@value EventTypes#DUMP_ARCHIVED} once
     * the dump is stored and verified.
     *
     * <p>The reply's id derives from the dumpId, so the reply to a re-delivered event is the same
     * event, which receivers deduplicate on source and id.
     */
    @Funq("archive")
    @CloudEventMapping(
            trigger = EventTypes.DUMP_CLOSED,
            responseType = EventTypes.DUMP_ARCHIVED,
            responseSource = "/dumpflow/archive")
    public CloudEvent<DumpArchived> archive(CloudEvent<DumpClosed> event) {
        DumpClosed closed = EventData.of(event);
        DumpArchived archived = slots.run(closed.dumpId(), () -> archiver.archive(closed));
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

    private static String replyId(String dumpId) {
        return UUID.nameUUIDFromBytes(
                        ("dumpflow/archive/" + dumpId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
