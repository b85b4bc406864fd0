package dev.dumpflow.functions.archive;

import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.enrich.PodVerification;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Checks a {@code dump.closed} claim against the Kubernetes API before anything is fetched: the pod
 * exists in the claimed namespace with the claimed UID and container, and the fetch URL is that
 * pod's own file server, {@code http://{podIP}:{dump-fetch port}/dumps/{dumpId}}. So an event can
 * neither pass off another address's content as a team's dump nor point the archive at another port
 * or path of a pod (SSRF within the allowed hosts).
 *
 * <p>A mismatch is {@link FunctionFailure#claimRefused} (400), whose message names the mismatch and
 * never the token; an API that cannot answer is unavailable (503), and nothing is fetched.
 */
@ApplicationScoped
public class ClaimCheck {

    /** The name of the sidecar's container port that serves dumps. */
    public static final String PORT_NAME = "dump-fetch";

    private final PodVerification pods;

    ClaimCheck(PodVerification pods) {
        this.pods = pods;
    }

    /**
     * The pod identity to store with the dump: as the API shows it (UID, node, labels, and the
     * workload from the pod's owner references) when claims are verified, else as claimed.
     *
     * <p>The workload is never taken from the event: it names the storage prefix ({@code
     * dumps/{namespace}/{workload}/...}) and the index partition, so a claimed one would let a pod
     * file its dump under another workload of its namespace.
     *
     * @throws FunctionFailure claim refused, or unavailable while the API cannot answer
     */
    public PodIdentity verify(DumpClosed closed) {
        PodIdentity claimed = closed.pod();
        if (!pods.enabled()) {
            return claimed;
        }
        String context = "dumpId=" + closed.dumpId();
        String where = claimed.namespace() + "/" + claimed.name();
        Pod pod =
                pods.pod(context, claimed.namespace(), claimed.name())
                        .orElseThrow(() -> refused(context, "pod " + where + " does not exist"));
        String uid = pod.getMetadata().getUid();
        if (claimed.uid() == null || !claimed.uid().equals(uid)) {
            throw refused(
                    context,
                    "pod %s has UID %s, the event claims %s".formatted(where, uid, claimed.uid()));
        }
        List<Container> containers = containers(pod);
        if (containers.stream().noneMatch(c -> claimed.container().equals(c.getName()))) {
            throw refused(
                    context,
                    "pod %s has no container named %s".formatted(where, claimed.container()));
        }
        checkUrl(context, where, pod, containers, closed);
        Map<String, String> labels =
                pod.getMetadata().getLabels() == null
                        ? Map.of()
                        : new HashMap<>(pod.getMetadata().getLabels());
        return new PodIdentity(
                claimed.namespace(),
                claimed.name(),
                uid,
                pod.getSpec() == null ? claimed.node() : pod.getSpec().getNodeName(),
                claimed.container(),
                pods.workload(context, pod).orElse(null),
                labels);
    }

    private static void checkUrl(
            String context, String where, Pod pod, List<Container> containers, DumpClosed closed) {
        URI url = closed.fetch().url();
        if (!"http".equalsIgnoreCase(url.getScheme())) {
            throw refused(context, "the fetch URL's scheme is " + url.getScheme() + ", not http");
        }
        InetAddress host = literal(url.getHost());
        List<InetAddress> podIps = podIps(pod);
        if (host == null || !podIps.contains(host)) {
            throw refused(
                    context,
                    "the fetch URL's host %s is not an IP of pod %s (%s)"
                            .formatted(url.getHost(), where, podIps));
        }
        List<Integer> ports =
                containers.stream()
                        .flatMap(
                                c ->
                                        c.getPorts() == null
                                                ? Stream.<ContainerPort>empty()
                                                : c.getPorts().stream())
                        .filter(p -> PORT_NAME.equals(p.getName()))
                        .map(ContainerPort::getContainerPort)
                        .filter(Objects::nonNull)
                        .toList();
        int port = url.getPort() < 0 ? 80 : url.getPort();
        if (!ports.contains(port)) {
            throw refused(
                    context,
                    "the fetch URL's port %d is not pod %s's container port named %s %s"
                            .formatted(port, where, PORT_NAME, ports));
        }
        String path = "/dumps/" + closed.dumpId();
        if (!path.equals(url.getRawPath())
                || url.getRawQuery() != null
                || url.getRawFragment() != null) {
            throw refused(
                    context,
                    "the fetch URL's path is %s, not exactly %s"
                            .formatted(
                                    url.getRawPath()
                                            + (url.getRawQuery() == null ? "" : "?<query>"),
                                    path));
        }
    }

    private static List<Container> containers(Pod pod) {
        List<Container> all = new ArrayList<>();
        if (pod.getSpec() != null) {
            if (pod.getSpec().getContainers() != null) {
                all.addAll(pod.getSpec().getContainers());
            }
            // A native sidecar (restartPolicy: Always) is an init container.
            if (pod.getSpec().getInitContainers() != null) {
                all.addAll(pod.getSpec().getInitContainers());
            }
        }
        return all;
    }

    private static List<InetAddress> podIps(Pod pod) {
        List<String> ips = new ArrayList<>();
        if (pod.getStatus() != null) {
            if (pod.getStatus().getPodIP() != null) {
                ips.add(pod.getStatus().getPodIP());
            }
            if (pod.getStatus().getPodIPs() != null) {
                pod.getStatus().getPodIPs().stream().map(PodIP::getIp).forEach(ips::add);
            }
        }
        return ips.stream().map(ClaimCheck::literal).filter(Objects::nonNull).distinct().toList();
    }

    /** The address an IP literal stands for, without any lookup; null for anything else. */
    private static InetAddress literal(String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        String bare =
                host.startsWith("[") && host.endsWith("]")
                        ? host.substring(1, host.length() - 1)
                        : host;
        try {
            return InetAddress.ofLiteral(bare);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static FunctionFailure refused(String context, String mismatch) {
        return FunctionFailure.claimRefused(
                context + ": the dump.closed claim does not hold: " + mismatch);
    }
}
