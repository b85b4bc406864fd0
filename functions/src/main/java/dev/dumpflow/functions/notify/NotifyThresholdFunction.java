package dev.dumpflow.functions.notify;

import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.MemoryThresholdCrossed;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.ThresholdRecord;
import dev.dumpflow.functions.EventData;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.enrich.PodLookup;
import dev.dumpflow.functions.enrich.PodVerification;
import dev.dumpflow.functions.enrich.PodView;
import dev.dumpflow.functions.records.ThresholdRecords;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Warns the owning team early that a process's memory crossed a threshold, at most once per
 * workload per {@code dumpflow.notify.threshold.min-interval} (see {@link ThresholdGate}), and
 * keeps every crossing, warned about or held back, for the verdict on a later OOM kill ({@link
 * ThresholdRecords}).
 */
public class NotifyThresholdFunction {

    private static final Logger LOG = Logger.getLogger(NotifyThresholdFunction.class);

    private final Notifier notifier;
    private final PodLookup pods;
    private final ThresholdGate gate;
    private final PodVerification verification;
    private final ThresholdRecords crossings;

    NotifyThresholdFunction(
            Notifier notifier,
            PodLookup pods,
            ThresholdGate gate,
            PodVerification verification,
            ThresholdRecords crossings) {
        this.notifier = notifier;
        this.pods = pods;
        this.gate = gate;
        this.verification = verification;
        this.crossings = crossings;
    }

    /**
     * The functions' own check on the sender: the warned-about pod must exist with the UID the
     * event claims. A forged warning about another team's pod is refused (400) when the API says
     * otherwise; the Knative EventPolicy in {@code knative/} keeps non-sidecars from sending one at
     * all.
     */
    private void verify(String context, PodIdentity pod) {
        if (!verification.enabled()) {
            return;
        }
        Optional<String> uid =
                verification
                        .pod(context, pod.namespace(), pod.name())
                        .map(p -> p.getMetadata().getUid());
        if (uid.isEmpty() || pod.uid() == null || !pod.uid().equals(uid.get())) {
            throw FunctionFailure.claimRefused(
                    "%s: refused, the threshold warning's pod %s/%s %s"
                            .formatted(
                                    context,
                                    pod.namespace(),
                                    pod.name(),
                                    uid.isEmpty()
                                            ? "does not exist"
                                            : "has UID " + uid.get() + ", not " + pod.uid()));
        }
    }

    /** Triggered by {@code dev.dumpflow.memory.threshold.crossed}; replies nothing (204). */
    @Funq("notify-threshold")
    @CloudEventMapping(
            trigger = EventTypes.MEMORY_THRESHOLD_CROSSED,
            responseSource = "/dumpflow/notify")
    public void notifyThreshold(CloudEvent<MemoryThresholdCrossed> event) {
        MemoryThresholdCrossed crossed = EventData.of(event);
        PodIdentity pod = crossed.pod();
        String context = "pod=" + pod.namespace() + "/" + pod.name() + " pid=" + crossed.pid();
        verify(context, pod);
        // Kept before the gate, so that a held-back crossing counts for an OOM verdict too, and
        // so that a failure here (503, retried) happens before the gate admits the warning.
        crossings.keep(event.source() + " " + event.id(), new ThresholdRecord(at(event), crossed));
        Optional<PodView> view = pods.find(context, pod);
        PodIdentity.Workload workload =
                pod.workload() != null ? pod.workload() : view.map(PodView::workload).orElse(null);
        String key =
                pod.namespace() + "/" + (workload == null ? "pod:" + pod.name() : workload.name());
        ThresholdGate.Decision decision = gate.admit(key, Instant.now());
        if (!decision.send()) {
            LOG.infof(
                    "%s: memory crossed %d bytes; warning held back (crossing %d for %s since the"
                            + " warning at %s)",
                    context,
                    crossed.thresholdBytes(),
                    decision.suppressed(),
                    key,
                    decision.windowOpenedAt());
            return;
        }
        try {
            notifier.deliver(
                    event.source() + " " + event.id(),
                    ThresholdMessage.of(
                            crossed, workload, decision, TeamRecipients.of(context, view)));
        } catch (RuntimeException e) {
            gate.release(key, decision);
            throw e;
        }
    }

    /**
     * When the threshold was crossed: the event's {@code time}, which the sidecar sets when it
     * reads the memory (a retried event keeps it); the time of arrival when the event has none.
     */
    private static Instant at(CloudEvent<?> event) {
        return event.time() == null ? Instant.now() : event.time().toInstant();
    }
}
