package dev.dumpflow.functions.notify;

import dev.dumpflow.events.DumpFailed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.functions.EventData;
import dev.dumpflow.functions.enrich.PodLookup;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import java.util.List;

/** Tells the owning team that a dump was NOT saved, why, and where it still sits. */
public class NotifyFailedFunction {

    private final Notifier notifier;
    private final PodLookup pods;

    NotifyFailedFunction(Notifier notifier, PodLookup pods) {
        this.notifier = notifier;
        this.pods = pods;
    }

    /** Triggered by {@code dev.dumpflow.dump.failed}; replies nothing (204). */
    @Funq("notify-failed")
    @CloudEventMapping(trigger = EventTypes.DUMP_FAILED, responseSource = "/dumpflow/notify")
    public void notifyFailed(CloudEvent<DumpFailed> event) {
        DumpFailed failed = EventData.of(event);
        String context = "dumpId=" + failed.dumpId();
        List<String> team =
                failed.pod() == null
                        ? List.of()
                        : TeamRecipients.of(context, pods.find(context, failed.pod()));
        notifier.deliver(event.source() + " " + event.id(), FailedMessage.of(failed, team));
    }
}
