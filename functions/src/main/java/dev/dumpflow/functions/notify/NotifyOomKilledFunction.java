package dev.dumpflow.functions.notify;

import dev.dumpflow.events.ContainerOomKilled;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.functions.EventData;
import dev.dumpflow.functions.enrich.PodLookup;
import dev.dumpflow.functions.records.DumpRecords;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Tells the owning team that the kernel OOM-killed a container, with the verdict and the evidence:
 * the last dump before the kill, with a download link, and the last threshold crossing. The link is
 * signed for the dump's record, and only when that record is of the killed pod: the event names the
 * dump, the record proves it.
 */
public class NotifyOomKilledFunction {

    private static final Logger LOG = Logger.getLogger(NotifyOomKilledFunction.class);

    private final Notifier notifier;
    private final PodLookup pods;
    private final DumpRecords records;
    private final DownloadLinks links;

    NotifyOomKilledFunction(
            Notifier notifier, PodLookup pods, DumpRecords records, DownloadLinks links) {
        this.notifier = notifier;
        this.pods = pods;
        this.records = records;
        this.links = links;
    }

    /** Triggered by {@code dev.dumpflow.container.oomkilled}; replies nothing (204). */
    @Funq("notify-oomkilled")
    @CloudEventMapping(
            trigger = EventTypes.CONTAINER_OOMKILLED,
            responseSource = "/dumpflow/notify")
    public void notifyOomKilled(CloudEvent<ContainerOomKilled> event) {
        ContainerOomKilled killed = EventData.of(event);
        PodIdentity pod = killed.pod();
        String context =
                "pod=%s/%s container=%s".formatted(pod.namespace(), pod.name(), killed.container());
        notifier.deliver(
                event.source() + " " + event.id(),
                OomKilledMessage.of(
                        killed,
                        link(context, killed).orElse(null),
                        TeamRecipients.of(context, pods.find(context, pod))));
    }

    private Optional<Notification.Link> link(String context, ContainerOomKilled killed) {
        if (killed.lastDump() == null) {
            return Optional.empty();
        }
        Optional<DumpArchived> record = records.read(killed.lastDump().dumpId());
        PodIdentity pod = killed.pod();
        if (record.isEmpty()
                || !record.get().pod().namespace().equals(pod.namespace())
                || !record.get().pod().name().equals(pod.name())) {
            LOG.warnf(
                    "%s: the last dump %s is not a recorded dump of this pod; no link",
                    context, killed.lastDump().dumpId());
            return Optional.empty();
        }
        return links.linkTo(record.get());
    }
}
