package dev.dumpflow.functions.notify;

import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.functions.EventData;
import dev.dumpflow.functions.enrich.PodLookup;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;

/**
 * Tells the owning team that a dump is stored, what filled the heap, and where to get it. Every
 * fact, the link and the recipients come from what is stored and from the API, not from the event
 * (see {@link IndexedDumps}).
 */
public class NotifyIndexedFunction {

    private final Notifier notifier;
    private final PodLookup pods;
    private final IndexedDumps dumps;
    private final DownloadLinks links;

    NotifyIndexedFunction(
            Notifier notifier, PodLookup pods, IndexedDumps dumps, DownloadLinks links) {
        this.notifier = notifier;
        this.pods = pods;
        this.dumps = dumps;
        this.links = links;
    }

    /**
     * Triggered by {@code dev.dumpflow.dump.indexed}; replies nothing (204): the message is the end
     * of the dump's path.
     */
    @Funq("notify-indexed")
    @CloudEventMapping(trigger = EventTypes.DUMP_INDEXED, responseSource = "/dumpflow/notify")
    public void notifyIndexed(CloudEvent<DumpIndexed> event) {
        DumpIndexed indexed = EventData.of(event);
        String context = "dumpId=" + indexed.dumpId();
        IndexedDumps.Stored stored = dumps.read(indexed);
        Notification message =
                IndexedMessage.of(
                        stored.index(),
                        stored.indexKey(),
                        // The archive's record, not the index's: an index record written before
                        // the index copied redaction lacks it.
                        stored.record().redaction(),
                        links.linkTo(stored.record()).orElse(null),
                        TeamRecipients.of(context, pods.find(context, stored.record().pod())));
        notifier.deliver(event.source() + " " + event.id(), message);
    }
}
