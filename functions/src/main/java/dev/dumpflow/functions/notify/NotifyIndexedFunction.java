package dev.dumpflow.functions.notify;

import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.functions.EventData;
import dev.dumpflow.functions.enrich.PodLookup;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;

/** Tells the owning team that a dump is stored, what filled the heap, and where to get it. */
public class NotifyIndexedFunction {

    private final Notifier notifier;
    private final PodLookup pods;

    NotifyIndexedFunction(Notifier notifier, PodLookup pods) {
        this.notifier = notifier;
        this.pods = pods;
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
        Notification message =
                IndexedMessage.of(
                        indexed,
                        TeamRecipients.of(context, pods.find(context, indexed.record().pod())));
        notifier.deliver(event.source() + " " + event.id(), message);
    }
}
