package dev.dumpflow.functions.oom;

import dev.dumpflow.events.ContainerOomKilled;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.functions.EventData;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.ReplyTypes;
import dev.dumpflow.functions.enrich.PodVerification;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Tells when the kernel killed a container of an enrolled pod for memory, with the evidence and a
 * verdict. Knative's ApiServerSource sends every update of an enrolled pod, the whole pod as data;
 * the data only decides whether to look (most updates are no kill). What is reported comes from the
 * pod as the Kubernetes API shows it now, read again, and from what dumpflow stored itself: a pod
 * the event says was OOM-killed and the API says was not is reported as nothing.
 */
public class OomKillFunction {

    private static final Logger LOG = Logger.getLogger(OomKillFunction.class);
    private static final String SOURCE = "/dumpflow/oom";

    /** The label that enrols a pod in dumpflow, as the ApiServerSource selects it. */
    static final String ENROLLED_LABEL = "dumpflow.dev/enabled";

    private final PodVerification api;
    private final ReportedKills reported;
    private final OomReports reports;

    OomKillFunction(PodVerification api, ReportedKills reported, OomReports reports) {
        this.api = api;
        this.reported = reported;
        this.reports = reports;
    }

    /**
     * Triggered by {@code dev.knative.apiserver.resource.update} (an ApiServerSource in Resource
     * mode, on Pods); replies {@code dev.dumpflow.container.oomkilled} for the first kill of a
     * container not reported before, else nothing (204). When several containers were killed, the
     * others are reported on the pod's next updates, which their restarts bring.
     *
     * @throws FunctionFailure bad event when the data names no pod; unavailable when the API or S3
     *     cannot answer, so that the Broker delivers the event again
     */
    @Funq("oom-kill")
    @CloudEventMapping(
            trigger = EventTypes.APISERVER_RESOURCE_UPDATE,
            responseType = EventTypes.CONTAINER_OOMKILLED,
            responseSource = SOURCE)
    @ReplyTypes(EventTypes.CONTAINER_OOMKILLED)
    public CloudEvent<ContainerOomKilled> onPodUpdate(CloudEvent<Pod> event) {
        ObjectMeta claimed = EventData.of(event).getMetadata();
        if (claimed == null || blank(claimed.getNamespace()) || blank(claimed.getName())) {
            throw FunctionFailure.badEvent(
                    "a " + event.type() + " event needs a pod with a namespace and a name");
        }
        if (KilledContainers.of(event.data()).isEmpty()) {
            return null;
        }
        String namespace = claimed.getNamespace();
        String name = claimed.getName();
        String context = "pod=" + namespace + "/" + name;
        if (!api.enabled()) {
            LOG.warnf(
                    "%s: the event shows an OOM kill, but without the Kubernetes API"
                            + " (dumpflow.kubernetes.enabled=false) it cannot be proved; nothing"
                            + " reported",
                    context);
            return null;
        }
        Optional<Pod> found = api.pod(context, namespace, name);
        if (found.isEmpty()) {
            LOG.infof("%s: the event shows an OOM kill of a pod the API no longer has", context);
            return null;
        }
        Pod pod = found.get();
        if (!enrolled(pod)) {
            LOG.infof(
                    "%s: not labelled %s=true; its kills are not reported",
                    context, ENROLLED_LABEL);
            return null;
        }
        List<KilledContainers.Kill> kills = KilledContainers.of(pod);
        if (kills.isEmpty()) {
            LOG.infof(
                    "%s: the event shows an OOM kill the API does not; nothing reported", context);
            return null;
        }
        PodIdentity.Workload workload = api.workload(context, pod).orElse(null);
        String eventKey = event.source() + " " + event.id();
        for (KilledContainers.Kill kill : kills) {
            PodIdentity identity = identity(pod, kill.container(), workload);
            Optional<ContainerOomKilled> report =
                    reported.report(
                            eventKey,
                            namespace,
                            name,
                            kill,
                            () ->
                                    reports.report(
                                            identity,
                                            kill,
                                            KilledContainers.limitBytes(pod, kill.container()),
                                            KilledContainers.instant(
                                                    pod.getMetadata().getCreationTimestamp())));
            if (report.isPresent()) {
                ContainerOomKilled killed = report.get();
                LOG.infof(
                        "%s container=%s OOMKilled at %s: verdict %s, last dump %s",
                        context,
                        kill.container(),
                        kill.finishedAt(),
                        killed.verdict().kind().wire(),
                        killed.lastDump() == null ? "none" : killed.lastDump().dumpId());
                return reply(killed);
            }
        }
        return null;
    }

    /**
     * The reply. Its id derives from the kill, so that every copy of a report is the same event to
     * receivers, which deduplicate on {@code source} + {@code id}.
     */
    private static CloudEvent<ContainerOomKilled> reply(ContainerOomKilled killed) {
        PodIdentity pod = killed.pod();
        String subject = pod.namespace() + "/" + pod.name() + "/" + killed.container();
        Map<String, String> extensions = new HashMap<>();
        if (killed.lastDump() != null) {
            extensions.put(EventTypes.DUMPID_EXTENSION, killed.lastDump().dumpId());
        }
        return CloudEventBuilder.create()
                .id("oomkilled/" + subject + "/" + killed.finishedAt())
                .type(EventTypes.CONTAINER_OOMKILLED)
                .source(SOURCE)
                .subject(subject)
                .dataSchema(EventTypes.dataSchema(EventTypes.CONTAINER_OOMKILLED).toString())
                .extensions(extensions)
                .build(killed);
    }

    private static PodIdentity identity(Pod pod, String container, PodIdentity.Workload workload) {
        ObjectMeta meta = pod.getMetadata();
        return new PodIdentity(
                meta.getNamespace(),
                meta.getName(),
                meta.getUid(),
                pod.getSpec() == null ? null : pod.getSpec().getNodeName(),
                container,
                workload,
                meta.getLabels());
    }

    private static boolean enrolled(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null && "true".equals(labels.get(ENROLLED_LABEL));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
