package dev.dumpflow.functions.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dumpflow.events.EventTypes;
import dev.dumpflow.functions.archive.ArchiveFunction;
import dev.dumpflow.functions.deadletter.DeadLetterRoute;
import dev.dumpflow.localstack.broker.BrokerTopology;
import dev.dumpflow.localstack.broker.KnativeManifests;
import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.eventing.v1alpha1.EventPolicy;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.sources.v1.APIVersionKindSelector;
import io.fabric8.knative.sources.v1.ApiServerSource;
import io.fabric8.knative.sources.v1.SinkBinding;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.IndexView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifests of knative/, parsed into fabric8's typed model, against the code. */
class ManifestContractTest {

    static final Path KNATIVE = Path.of("..", "knative");
    static final KnativeManifests MANIFESTS = KnativeManifests.load(KNATIVE);

    @Test
    void parsesEveryManifestIntoATypedResource() {
        assertThat(MANIFESTS.resources())
                .noneMatch(
                        r ->
                                r
                                        instanceof
                                        io.fabric8.kubernetes.api.model.GenericKubernetesResource);
        assertThat(MANIFESTS.ofType(Namespace.class)).hasSize(1);
        assertThat(MANIFESTS.ofType(Broker.class)).hasSize(1);
        assertThat(MANIFESTS.ofType(Trigger.class))
                .hasSize(EventTypes.ALL.size() + EventTypes.FROM_KNATIVE_SOURCES.size());
        assertThat(MANIFESTS.ofType(Service.class)).hasSize(2);
        assertThat(MANIFESTS.ofType(SinkBinding.class)).hasSize(2);
        assertThat(MANIFESTS.ofType(ApiServerSource.class)).hasSize(1);
        assertThat(MANIFESTS.ofType(ServiceAccount.class)).hasSize(3);
        assertThat(MANIFESTS.ofType(Role.class)).hasSize(1);
        assertThat(MANIFESTS.ofType(RoleBinding.class)).hasSize(1);
        assertThat(MANIFESTS.ofType(NetworkPolicy.class)).hasSize(3);
        assertThat(MANIFESTS.ofType(EventPolicy.class)).hasSize(6);
        assertThat(MANIFESTS.ofType(Deployment.class)).hasSize(1);
    }

    @Test
    void routesEveryEmittedTypeByATrigger() {
        assertThat(RoutingContract.unrouted(MANIFESTS, EmittedTypes.all())).isEmpty();
    }

    @Test
    void feedsEveryTriggerWithATypeSomethingEmits() {
        // Without a function found, every Trigger would pass as fed by nothing at all: a scan
        // that finds no @CloudEventMapping (moved classes, a broken index) must fail loudly.
        assertThat(EmittedTypes.anyFunctionMapped())
                .as(
                        "no @CloudEventMapping found among the main classes, nor a response-type in"
                                + " application.properties: the scan finds no function")
                .isTrue();
        assertThat(RoutingContract.unfed(MANIFESTS, EmittedTypes.all())).isEmpty();
    }

    @Test
    void namesOnlyContractTypesInTriggerFilters() {
        List<String> routable =
                Stream.concat(EventTypes.ALL.stream(), EventTypes.FROM_KNATIVE_SOURCES.stream())
                        .toList();
        for (Trigger trigger : MANIFESTS.triggers()) {
            assertThat(routable)
                    .as("Trigger %s", trigger.getMetadata().getName())
                    .anyMatch(type -> RoutingContract.routes(trigger, type));
        }
    }

    @Test
    void findsTheResponseTypeOfAFunctionsCloudEventMapping() {
        var found = EmittedTypes.responseTypes(EmittedTypes.indexOf(MappedFixture.class));

        assertThat(found).containsOnlyKeys("dev.dumpflow.fixture.replied");
    }

    @Test
    void knowsTheArchiveRepliesDumpFailedAsWellAsItsResponseType() {
        var found = EmittedTypes.responseTypes(EmittedTypes.indexOf(ArchiveFunction.class));

        assertThat(found).containsOnlyKeys(EventTypes.DUMP_ARCHIVED, EventTypes.DUMP_FAILED);
        assertThat(EmittedTypes.all().get(EventTypes.DUMP_FAILED))
                .contains("dead-letter path", "archive");
    }

    @Test
    void declaresEachFunctionsResponseTypeAmongItsReplyTypes() {
        IndexView index = EmittedTypes.indexOfMainClasses();
        for (AnnotationInstance replies : index.getAnnotations(EmittedTypes.REPLY_TYPES)) {
            AnnotationInstance mapping =
                    replies.target().asMethod().annotation(EmittedTypes.CLOUD_EVENT_MAPPING);
            assertThat(mapping).as("@CloudEventMapping of %s", replies.target()).isNotNull();
            assertThat(replies.value().asStringArray())
                    .as("reply types of %s", replies.target())
                    .contains(mapping.value("responseType").asString());
        }
    }

    @Test
    void failsWhenATriggerFilterIsBroken(@TempDir Path copy) throws IOException {
        copyManifests(copy);
        Path trigger = copy.resolve("600-trigger-dump-closed.yaml");
        Files.writeString(
                trigger,
                Files.readString(trigger)
                        .replace(
                                "type: dev.dumpflow.dump.closed", "type: dev.dumpflow.dump.close"));

        KnativeManifests broken = KnativeManifests.load(copy);

        assertThat(RoutingContract.unrouted(broken, EmittedTypes.all()))
                .singleElement()
                .asString()
                .startsWith(EventTypes.DUMP_CLOSED);
        assertThat(RoutingContract.unfed(broken, EmittedTypes.all()))
                .anySatisfy(problem -> assertThat(problem).contains("dump-closed-to-archive"));
    }

    @Test
    void resolvesEverySubscriberAndDeadLetterSinkToAResourceOfTheManifests() {
        var topology =
                BrokerTopology.from(
                        MANIFESTS, URI.create("http://functions"), Duration.ofMinutes(1));

        var routes = topology.broker("dumpflow", "dumpflow").orElseThrow().subscriptions();
        assertThat(routes).hasSize(MANIFESTS.triggers().size());
        assertThat(routes).allMatch(s -> s.subscriber().equals(URI.create("http://functions/")));
        assertThat(routes)
                .allMatch(
                        s ->
                                s.delivery()
                                        .deadLetterSink()
                                        .equals(
                                                java.util.Optional.of(
                                                        URI.create(
                                                                "http://functions/dead-letter"))));
    }

    @Test
    void pointsTheDeadLetterSinkAtThePathOfTheDeadLetterHandler() {
        var sink =
                MANIFESTS.resources().stream()
                        .filter(Broker.class::isInstance)
                        .map(Broker.class::cast)
                        .findFirst()
                        .orElseThrow()
                        .getSpec()
                        .getDelivery()
                        .getDeadLetterSink();

        assertThat(sink.getUri()).isEqualTo(DeadLetterRoute.PATH);
        assertThat(sink.getRef().getName()).isEqualTo("dumpflow-functions");
    }

    @Test
    void refusesASubscriberRefToAServiceTheManifestsDoNotDefine(@TempDir Path copy)
            throws IOException {
        copyManifests(copy);
        Path trigger = copy.resolve("610-trigger-dump-archived.yaml");
        Files.writeString(
                trigger,
                Files.readString(trigger)
                        .replace("name: dumpflow-functions", "name: dumpflow-functionz"));

        assertThatThrownBy(
                        () ->
                                BrokerTopology.from(
                                        KnativeManifests.load(copy),
                                        URI.create("http://functions"),
                                        Duration.ofMinutes(1)))
                .hasMessageContaining("dump-archived-to-index")
                .hasMessageContaining("dumpflow-functionz");
    }

    @Test
    void bindsTheBrokerToTheExampleApplicationThroughTheSinkBindingSelector() {
        Deployment app = MANIFESTS.ofType(Deployment.class).getFirst();
        SinkBinding binding =
                MANIFESTS.ofType(SinkBinding.class).stream()
                        .filter(b -> b.getSpec().getSubject().getSelector() != null)
                        .findFirst()
                        .orElseThrow();
        var subject = binding.getSpec().getSubject();

        assertThat(subject.getApiVersion()).isEqualTo(app.getApiVersion());
        assertThat(subject.getKind()).isEqualTo(app.getKind());
        assertThat(KnativeManifests.namespaceOf(binding))
                .isEqualTo(KnativeManifests.namespaceOf(app));
        assertThat(subject.getSelector().getMatchExpressions()).isNullOrEmpty();
        assertThat(app.getMetadata().getLabels())
                .containsAllEntriesOf(subject.getSelector().getMatchLabels());
        var sink = binding.getSpec().getSink().getRef();
        assertThat(MANIFESTS.brokers())
                .anyMatch(
                        b ->
                                b.getMetadata().getName().equals(sink.getName())
                                        && sink.getKind().equals("Broker"));
    }

    @Test
    void bindsTheFunctionsToTheBrokerSoTheDeadLetterHandlerCanEmit() {
        Service functions = MANIFESTS.ofType(Service.class).getFirst();

        assertThat(MANIFESTS.ofType(SinkBinding.class))
                .anySatisfy(
                        b -> {
                            var subject = b.getSpec().getSubject();
                            assertThat(subject.getApiVersion())
                                    .isEqualTo(functions.getApiVersion());
                            assertThat(subject.getKind()).isEqualTo(functions.getKind());
                            assertThat(subject.getName())
                                    .isEqualTo(functions.getMetadata().getName());
                            assertThat(b.getSpec().getSink().getRef().getKind())
                                    .isEqualTo("Broker");
                        });
    }

    @Test
    void watchesTheEnrolledPodsWithAnApiServerSourceSendingWholePodsToTheBroker() {
        ApiServerSource source = MANIFESTS.ofType(ApiServerSource.class).getFirst();
        SinkBinding sidecars =
                MANIFESTS.ofType(SinkBinding.class).stream()
                        .filter(b -> b.getSpec().getSubject().getSelector() != null)
                        .findFirst()
                        .orElseThrow();
        Deployment app = MANIFESTS.ofType(Deployment.class).getFirst();

        // Resource mode: the data is the whole pod, which the handler reads its name from.
        assertThat(source.getSpec().getMode()).isEqualTo("Resource");
        APIVersionKindSelector pods = source.getSpec().getResources().getFirst();
        assertThat(source.getSpec().getResources()).hasSize(1);
        assertThat(pods.getApiVersion()).isEqualTo("v1");
        assertThat(pods.getKind()).isEqualTo("Pod");
        // The pods the sidecars' binding serves, and which the example's pod template carries.
        assertThat(pods.getSelector().getMatchLabels())
                .isEqualTo(sidecars.getSpec().getSubject().getSelector().getMatchLabels());
        assertThat(app.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(pods.getSelector().getMatchLabels());
        assertThat(KnativeManifests.namespaceOf(source))
                .isEqualTo(KnativeManifests.namespaceOf(app));
        var sink = source.getSpec().getSink().getRef();
        assertThat(sink.getKind()).isEqualTo("Broker");
        assertThat(MANIFESTS.brokers())
                .anyMatch(b -> b.getMetadata().getName().equals(sink.getName()));
    }

    @Test
    void letsThePodWatcherOnlyGetListAndWatchPodsOfItsNamespace() {
        ApiServerSource source = MANIFESTS.ofType(ApiServerSource.class).getFirst();
        String account = source.getSpec().getServiceAccountName();
        String namespace = KnativeManifests.namespaceOf(source);
        RoleBinding binding =
                MANIFESTS.ofType(RoleBinding.class).stream()
                        .filter(
                                b ->
                                        b.getSubjects().stream()
                                                .anyMatch(
                                                        s ->
                                                                s.getKind().equals("ServiceAccount")
                                                                        && s.getName()
                                                                                .equals(account)
                                                                        && namespace.equals(
                                                                                s.getNamespace())))
                        .findFirst()
                        .orElseThrow();
        Role role =
                MANIFESTS.ofType(Role.class).stream()
                        .filter(
                                r ->
                                        r.getMetadata()
                                                .getName()
                                                .equals(binding.getRoleRef().getName()))
                        .findFirst()
                        .orElseThrow();

        assertThat(MANIFESTS.ofType(ServiceAccount.class))
                .anyMatch(a -> a.getMetadata().getName().equals(account));
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(KnativeManifests.namespaceOf(role)).isEqualTo(namespace);
        assertThat(role.getRules())
                .singleElement()
                .satisfies(
                        rule -> {
                            assertThat(rule.getApiGroups()).containsExactly("");
                            assertThat(rule.getResources()).containsExactly("pods");
                            assertThat(rule.getVerbs())
                                    .containsExactlyInAnyOrder("get", "list", "watch");
                        });
    }

    @Test
    void grantsTheFunctionsOnlyReadAccess() {
        ClusterRole role = MANIFESTS.ofType(ClusterRole.class).getFirst();

        assertThat(role.getRules())
                .allSatisfy(rule -> assertThat(rule.getVerbs()).isSubsetOf("get", "list", "watch"));
        assertThat(role.getRules().stream().flatMap(r -> r.getResources().stream()))
                .contains(
                        "pods",
                        "events",
                        "replicasets",
                        "deployments",
                        "statefulsets",
                        "daemonsets",
                        "jobs",
                        "cronjobs");
    }

    @Test
    void letsTheRedactionPolicyGetNamespacesAndNothingMore() {
        ClusterRole role = MANIFESTS.ofType(ClusterRole.class).getFirst();

        assertThat(role.getRules())
                .filteredOn(rule -> rule.getResources().contains("namespaces"))
                .singleElement()
                .satisfies(
                        rule -> {
                            assertThat(rule.getApiGroups()).containsExactly("");
                            assertThat(rule.getResources()).containsExactly("namespaces");
                            assertThat(rule.getVerbs()).containsExactly("get");
                        });
    }

    @Test
    void commentsEveryTriggerFilter() throws IOException {
        try (Stream<Path> files = Files.list(KNATIVE)) {
            for (Path file :
                    files.filter(f -> f.getFileName().toString().contains("trigger")).toList()) {
                List<String> lines = Files.readAllLines(file);
                int filter = indexOf(lines, "filter");
                assertThat(lines.subList(filter, lines.size()))
                        .as("%s: a one-line comment says what the filter matches", file)
                        .anyMatch(l -> l.trim().startsWith("# Matches"));
            }
        }
    }

    static int indexOf(List<String> lines, String key) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith(key)) {
                return i;
            }
        }
        throw new AssertionError("no " + key + " in " + lines);
    }

    static void copyManifests(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(KNATIVE)) {
            for (Path source : files.toList()) {
                Path dest = target.resolve(KNATIVE.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(source, dest);
                }
            }
        }
    }

    /** Not a Funqy function (no @Funq): only proves the scan reads responseType. */
    static final class MappedFixture {
        @CloudEventMapping(
                trigger = "dev.dumpflow.fixture.in",
                responseType = "dev.dumpflow.fixture.replied")
        void handle() {}
    }
}
