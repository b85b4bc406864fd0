package dev.dumpflow.functions.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.functions.FullStackProfile;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Owner chains other than Deployment, against the mock API server in CRUD mode. */
@QuarkusTest
@TestProfile(FullStackProfile.class)
class PodLookupTest {

    private static final String NS = "jobs";

    @Inject KubernetesClient kube;
    @Inject PodLookup lookup;

    @Test
    void followsAJobUpToItsCronJob() {
        HasMetadata cronJob =
                create(
                        new CronJobBuilder()
                                .withNewMetadata()
                                .withName("nightly-report")
                                .withNamespace(NS)
                                .withUid(uid())
                                .addToAnnotations(
                                        "dumpflow.dev/notify-email", "reports@example.test")
                                .endMetadata()
                                .build());
        HasMetadata job =
                create(
                        new JobBuilder()
                                .withNewMetadata()
                                .withName("nightly-report-29123")
                                .withNamespace(NS)
                                .withUid(uid())
                                .withOwnerReferences(owner(cronJob))
                                .endMetadata()
                                .build());
        pod("nightly-report-29123-abcde", job);

        PodView view = lookup.find("test", identity("nightly-report-29123-abcde")).orElseThrow();

        assertThat(view.workload())
                .isEqualTo(new PodIdentity.Workload("CronJob", "nightly-report"));
        assertThat(view.annotation("dumpflow.dev/notify-email")).isEqualTo("reports@example.test");
    }

    @Test
    void aStatefulSetOrDaemonSetPodBelongsToItsSet() {
        pod(
                "ledger-0",
                create(
                        new StatefulSetBuilder()
                                .withNewMetadata()
                                .withName("ledger")
                                .withNamespace(NS)
                                .withUid(uid())
                                .endMetadata()
                                .build()));
        pod(
                "agent-x1",
                create(
                        new DaemonSetBuilder()
                                .withNewMetadata()
                                .withName("agent")
                                .withNamespace(NS)
                                .withUid(uid())
                                .endMetadata()
                                .build()));

        assertThat(lookup.find("test", identity("ledger-0")).orElseThrow().workload())
                .isEqualTo(new PodIdentity.Workload("StatefulSet", "ledger"));
        assertThat(lookup.find("test", identity("agent-x1")).orElseThrow().workload())
                .isEqualTo(new PodIdentity.Workload("DaemonSet", "agent"));
    }

    @Test
    void anOwnerOfAnUnknownKindIsTakenAsTheWorkloadAndAPodWithoutOwnerHasNone() {
        kube.pods()
                .inNamespace(NS)
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName("canary-1")
                                .withNamespace(NS)
                                .withOwnerReferences(
                                        new OwnerReferenceBuilder()
                                                .withApiVersion("argoproj.io/v1alpha1")
                                                .withKind("Rollout")
                                                .withName("canary")
                                                .withUid(uid())
                                                .withController(true)
                                                .build())
                                .endMetadata()
                                .build())
                .createOr(p -> p.update());
        kube.pods()
                .inNamespace(NS)
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName("bare")
                                .withNamespace(NS)
                                .endMetadata()
                                .build())
                .createOr(p -> p.update());

        assertThat(lookup.find("test", identity("canary-1")).orElseThrow().workload())
                .isEqualTo(new PodIdentity.Workload("Rollout", "canary"));
        assertThat(lookup.find("test", identity("bare")).orElseThrow().workload()).isNull();
        assertThat(lookup.find("test", identity("gone"))).isEmpty();
    }

    private HasMetadata create(HasMetadata object) {
        return kube.resource(object).createOr(o -> o.update());
    }

    private void pod(String name, HasMetadata owner) {
        kube.pods()
                .inNamespace(NS)
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(NS)
                                .withOwnerReferences(owner(owner))
                                .endMetadata()
                                .build())
                .createOr(p -> p.update());
    }

    private static io.fabric8.kubernetes.api.model.OwnerReference owner(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .build();
    }

    private static PodIdentity identity(String pod) {
        return new PodIdentity(NS, pod, null, null, "app", null, Map.of());
    }

    private static String uid() {
        return UUID.randomUUID().toString();
    }
}
