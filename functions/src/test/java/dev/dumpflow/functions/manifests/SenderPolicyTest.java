package dev.dumpflow.functions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.EventTypes;
import dev.dumpflow.functions.archive.ArchiveFunction;
import dev.dumpflow.functions.oom.OomKillFunction;
import dev.dumpflow.localstack.broker.KnativeManifests;
import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.SubscriptionsAPIFilter;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.eventing.v1alpha1.EventPolicy;
import io.fabric8.knative.eventing.v1alpha1.EventPolicyFromReference;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.sources.v1.ApiServerSource;
import io.fabric8.knative.sources.v1.SinkBinding;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The manifests tie each event type to its senders (Knative OIDC sender identity and EventPolicies)
 * and keep the functions cluster-local behind a NetworkPolicy: docs/security.md.
 */
class SenderPolicyTest {

    private static final KnativeManifests MANIFESTS = ManifestContractTest.MANIFESTS;

    @Test
    void everyEventPolicyGuardsTheBrokerAndNamesItsSendersByIdentity() {
        Broker broker = MANIFESTS.ofType(Broker.class).getFirst();

        assertThat(MANIFESTS.ofType(EventPolicy.class))
                .isNotEmpty()
                .allSatisfy(
                        p -> {
                            assertThat(p.getSpec().getTo())
                                    .singleElement()
                                    .satisfies(
                                            to -> {
                                                assertThat(to.getRef().getKind())
                                                        .isEqualTo("Broker");
                                                assertThat(to.getRef().getName())
                                                        .isEqualTo(broker.getMetadata().getName());
                                            });
                            assertThat(p.getSpec().getFrom())
                                    .isNotEmpty()
                                    .allSatisfy(
                                            f ->
                                                    assertThat(f.getRef())
                                                            .as("a sender by reference")
                                                            .isNotNull());
                        });
    }

    @Test
    void limitsTheSidecarsToDumpClosedAndThresholdCrossed() {
        assertThat(allowedTypes(sender("SinkBinding", sidecarBinding())))
                .containsExactlyInAnyOrder(
                        EventTypes.DUMP_CLOSED, EventTypes.MEMORY_THRESHOLD_CROSSED);
    }

    @Test
    void limitsEachTriggersRepliesToWhatItsFunctionReplies() {
        // What the archive declares it replies (@ReplyTypes), so policy and code cannot drift.
        assertThat(allowedTypes(sender("Trigger", triggerOf(EventTypes.DUMP_CLOSED))))
                .containsExactlyInAnyOrderElementsOf(
                        EmittedTypes.responseTypes(EmittedTypes.indexOf(ArchiveFunction.class))
                                .keySet())
                .containsExactlyInAnyOrder(EventTypes.DUMP_ARCHIVED, EventTypes.DUMP_FAILED);
        assertThat(allowedTypes(sender("Trigger", triggerOf(EventTypes.DUMP_ARCHIVED))))
                .containsExactly(EventTypes.DUMP_INDEXED);
        assertThat(allowedTypes(sender("Trigger", triggerOf(EventTypes.APISERVER_RESOURCE_UPDATE))))
                .containsExactlyInAnyOrderElementsOf(
                        EmittedTypes.responseTypes(EmittedTypes.indexOf(OomKillFunction.class))
                                .keySet())
                .containsExactly(EventTypes.CONTAINER_OOMKILLED);
        // The notify Triggers' functions reply nothing, so no policy admits their identity.
        for (String type :
                List.of(
                        EventTypes.DUMP_INDEXED,
                        EventTypes.DUMP_FAILED,
                        EventTypes.MEMORY_THRESHOLD_CROSSED,
                        EventTypes.CONTAINER_OOMKILLED)) {
            assertThat(policiesFrom("Trigger", triggerOf(type))).isEmpty();
        }
    }

    @Test
    void letsTheFunctionsOwnTokenSendOnlyDumpFailedForTheDeadLetterRoute() {
        Service functions = MANIFESTS.ofType(Service.class).getFirst();
        SinkBinding binding =
                MANIFESTS.ofType(SinkBinding.class).stream()
                        .filter(
                                b ->
                                        functions
                                                .getMetadata()
                                                .getName()
                                                .equals(b.getSpec().getSubject().getName()))
                        .findFirst()
                        .orElseThrow();

        assertThat(allowedTypes(sender("SinkBinding", binding.getMetadata().getName())))
                .containsExactly(EventTypes.DUMP_FAILED);
    }

    @Test
    void letsThePodWatcherSendOnlyItsPodChangesAndNoDumpflowType() {
        String source = MANIFESTS.ofType(ApiServerSource.class).getFirst().getMetadata().getName();

        assertThat(allowedTypes(sender("ApiServerSource", source)))
                .containsExactlyInAnyOrder(
                        "dev.knative.apiserver.resource.add",
                        EventTypes.APISERVER_RESOURCE_UPDATE,
                        "dev.knative.apiserver.resource.delete")
                .doesNotContainAnyElementsOf(EventTypes.ALL);
    }

    @Test
    void noIdentityMaySendEveryType() {
        assertThat(MANIFESTS.ofType(EventPolicy.class))
                .allSatisfy(
                        p ->
                                assertThat(types(p.getSpec().getFilters()))
                                        .as("%s filters on type", p.getMetadata().getName())
                                        .isNotEmpty()
                                        .isNotEqualTo(Set.copyOf(EventTypes.ALL)));
    }

    @Test
    void keepsTheFunctionsClusterLocal() {
        Service functions = MANIFESTS.ofType(Service.class).getFirst();

        assertThat(functions.getMetadata().getLabels())
                .containsEntry("networking.knative.dev/visibility", "cluster-local");
    }

    @Test
    void letsOnlyKnativesDataPlaneReachTheFunctionsPods() {
        NetworkPolicy policy =
                MANIFESTS.ofType(NetworkPolicy.class).stream()
                        .filter(
                                p ->
                                        "dumpflow-functions"
                                                .equals(
                                                        p.getSpec()
                                                                .getPodSelector()
                                                                .getMatchLabels()
                                                                .get(
                                                                        "serving.knative.dev/service")))
                        .findFirst()
                        .orElseThrow();

        assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
        List<NetworkPolicyPeer> peers =
                policy.getSpec().getIngress().stream().flatMap(r -> r.getFrom().stream()).toList();
        assertThat(peers)
                .isNotEmpty()
                .allSatisfy(
                        peer -> {
                            assertThat(peer.getPodSelector()).isNull();
                            assertThat(peer.getIpBlock()).isNull();
                            assertThat(
                                            peer.getNamespaceSelector()
                                                    .getMatchLabels()
                                                    .get("kubernetes.io/metadata.name"))
                                    .isIn("knative-serving", "knative-eventing", "kourier-system");
                        });
    }

    @Test
    void commentsEveryEventPolicyFilter() throws IOException {
        try (Stream<Path> files = Files.list(ManifestContractTest.KNATIVE)) {
            for (Path file :
                    files.filter(f -> f.getFileName().toString().contains("eventpolicy"))
                            .toList()) {
                List<String> lines = Files.readAllLines(file);
                int filters = ManifestContractTest.indexOf(lines, "filters");
                assertThat(lines.get(filters + 1).trim())
                        .as("%s: a one-line comment says what the filter admits", file)
                        .startsWith("#");
            }
        }
    }

    private static String sidecarBinding() {
        return MANIFESTS.ofType(SinkBinding.class).stream()
                .filter(b -> "Deployment".equals(b.getSpec().getSubject().getKind()))
                .map(b -> b.getMetadata().getName())
                .findFirst()
                .orElseThrow();
    }

    private static String triggerOf(String type) {
        return MANIFESTS.ofType(Trigger.class).stream()
                .filter(t -> type.equals(t.getSpec().getFilter().getAttributes().get("type")))
                .map(t -> t.getMetadata().getName())
                .findFirst()
                .orElseThrow();
    }

    private static Map.Entry<String, String> sender(String kind, String name) {
        return Map.entry(kind, name);
    }

    private static List<EventPolicy> policiesFrom(String kind, String name) {
        return MANIFESTS.ofType(EventPolicy.class).stream()
                .filter(
                        p ->
                                p.getSpec().getFrom().stream()
                                        .map(f -> f.getRef())
                                        .anyMatch(r -> matches(r, kind, name)))
                .toList();
    }

    private static boolean matches(EventPolicyFromReference ref, String kind, String name) {
        return ref != null && kind.equals(ref.getKind()) && name.equals(ref.getName());
    }

    /** Every type some policy lets this sender send. */
    private static Set<String> allowedTypes(Map.Entry<String, String> sender) {
        List<EventPolicy> policies = policiesFrom(sender.getKey(), sender.getValue());
        assertThat(policies).as("policies admitting %s", sender).isNotEmpty();
        return policies.stream()
                .flatMap(p -> types(p.getSpec().getFilters()).stream())
                .collect(Collectors.toSet());
    }

    /** The types a list of filters admits: exact matches on type, directly or under any. */
    private static Set<String> types(List<SubscriptionsAPIFilter> filters) {
        List<String> found = new ArrayList<>();
        if (filters != null) {
            for (SubscriptionsAPIFilter f : filters) {
                if (f.getExact() != null && f.getExact().get("type") != null) {
                    found.add(f.getExact().get("type"));
                }
                found.addAll(types(f.getAny()));
            }
        }
        return Set.copyOf(found);
    }
}
