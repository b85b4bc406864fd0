package dev.dumpflow.localstack.broker;

import static dev.dumpflow.localstack.broker.TestManifests.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.localstack.broker.RecordingSubscriber.Answer;
import dev.dumpflow.localstack.broker.RecordingSubscriber.Received;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A broker stopped in the middle of its work, with a durable journal: what it had accepted and not
 * finished is delivered again by the next broker over the same journal, and nothing it finished is.
 */
class LocalBrokerJournalTest extends BrokerTestBase {

    private static final String CLOSED = "dev.dumpflow.dump.closed";
    private static final String ARCHIVED = "dev.dumpflow.dump.archived";

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseHeldRequests() {
        release.countDown();
    }

    @Test
    void aDeliveryCutByAStopIsDeliveredAgainWithTheSameIdByTheNextBroker() throws Exception {
        Path journal = dir.resolve("journal");
        manifests();
        subscriber.respond("/archive", r -> holdFirstThen(r, Answer.status(202)));
        broker = manifests().broker(subscriber.baseUrl(), 8, DeliveryJournal.open(journal));

        CloudEvent sent = event(CLOSED, "/s");
        assertThat(broker.accept("test", "b", sent)).isEqualTo(LocalBroker.Admission.ACCEPTED);
        // On disk before the subscriber has it: a crash from here on loses nothing.
        assertThat(entries(journal)).hasSize(1);
        await(() -> subscriber.receivedAt("/archive").size() == 1);

        broker.close();
        release.countDown();
        assertThat(broker.awaitIdle(Duration.ofSeconds(20))).isTrue();
        assertThat(entries(journal)).hasSize(1);

        broker = manifests().broker(subscriber.baseUrl(), 8, DeliveryJournal.open(journal));
        assertThat(broker.resume(broker.leftBeforeStop())).isEqualTo(1);
        assertThat(broker.awaitIdle(Duration.ofSeconds(20))).isTrue();

        List<Received> archive = subscriber.receivedAt("/archive");
        assertThat(archive).hasSize(2).allMatch(r -> r.ceId().equals(sent.getId()));
        assertThat(archive.get(1).header("ce-dumpid")).isEqualTo(sent.getExtension("dumpid"));
        assertThat(archive.get(1).body()).isEqualTo("{\"n\":1}");
        assertThat(entries(journal)).isEmpty();
    }

    @Test
    void aReplyIsJournaledBeforeTheDeliveryThatRepliedIsForgotten() throws Exception {
        Path journal = dir.resolve("journal");
        manifests();
        subscriber.respond("/archive", r -> archivedReply(r));
        subscriber.respond("/index", r -> holdFirstThen(r, Answer.status(202)));
        broker = manifests().broker(subscriber.baseUrl(), 8, DeliveryJournal.open(journal));

        CloudEvent sent = event(CLOSED, "/s");
        assertThat(broker.accept("test", "b", sent)).isEqualTo(LocalBroker.Admission.ACCEPTED);
        await(() -> subscriber.receivedAt("/index").size() == 1);
        broker.close();
        release.countDown();
        assertThat(broker.awaitIdle(Duration.ofSeconds(20))).isTrue();

        // The archive delivery ended with its reply journaled; only the index delivery is left.
        List<DeliveryJournal.Entry> left = DeliveryJournal.open(journal).pending();
        assertThat(left).singleElement().satisfies(e -> assertThat(e.trigger()).isEqualTo("index"));
        assertThat(left.getFirst().event().getId()).isEqualTo("archived-" + sent.getId());

        broker = manifests().broker(subscriber.baseUrl(), 8, DeliveryJournal.open(journal));
        assertThat(broker.resume(broker.leftBeforeStop())).isEqualTo(1);
        assertThat(broker.awaitIdle(Duration.ofSeconds(20))).isTrue();

        assertThat(subscriber.receivedAt("/archive")).hasSize(1);
        assertThat(subscriber.receivedAt("/index"))
                .hasSize(2)
                .allMatch(r -> r.ceId().equals("archived-" + sent.getId()));
        assertThat(entries(journal)).isEmpty();
    }

    @Test
    void aBrokerWithoutAJournalLosesWhatAStopCut() throws Exception {
        manifests();
        subscriber.respond("/archive", r -> holdFirstThen(r, Answer.status(202)));
        broker = manifests().broker(subscriber.baseUrl(), 8);

        assertThat(broker.accept("test", "b", event(CLOSED, "/s")))
                .isEqualTo(LocalBroker.Admission.ACCEPTED);
        await(() -> subscriber.receivedAt("/archive").size() == 1);
        broker.close();
        release.countDown();

        broker = manifests().broker(subscriber.baseUrl(), 8);
        assertThat(broker.resume(broker.leftBeforeStop())).isZero();
    }

    @Test
    void anEventTheJournalCannotStoreIsRefusedAndNothingIsDelivered() throws Exception {
        Path journal = dir.resolve("journal");
        manifests();
        broker = manifests().broker(subscriber.baseUrl(), 8, DeliveryJournal.open(journal));
        Files.delete(journal);

        assertThat(broker.accept("test", "b", event(CLOSED, "/s")))
                .isEqualTo(LocalBroker.Admission.NOT_STORED);
        assertThat(broker.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(subscriber.received()).isEmpty();

        // The refusal held no permit back: once the disk is there again, events are taken.
        Files.createDirectories(journal);
        CloudEvent sent = event(CLOSED, "/s");
        assertThat(broker.accept("test", "b", sent)).isEqualTo(LocalBroker.Admission.ACCEPTED);
        assertThat(broker.awaitIdle(Duration.ofSeconds(20))).isTrue();
        assertThat(subscriber.receivedAt("/archive"))
                .singleElement()
                .satisfies(r -> assertThat(r.ceId()).isEqualTo(sent.getId()));
    }

    @Test
    void aJournaledDeliveryWhoseTriggerIsGoneIsDroppedWithAnErrorAndTheOthersResume()
            throws Exception {
        Path journal = dir.resolve("journal");
        DeliveryJournal stored = DeliveryJournal.open(journal);
        stored.store("test/b", "removed-trigger", 8, event(CLOSED, "/s"));
        CloudEvent kept = event(CLOSED, "/s");
        stored.store("test/b", "archive", 8, kept);
        manifests();

        broker = manifests().broker(subscriber.baseUrl(), 8, DeliveryJournal.open(journal));
        assertThat(broker.resume(broker.leftBeforeStop())).isEqualTo(1);
        assertThat(broker.awaitIdle(Duration.ofSeconds(20))).isTrue();

        assertThat(subscriber.receivedAt("/archive"))
                .singleElement()
                .satisfies(r -> assertThat(r.ceId()).isEqualTo(kept.getId()));
        assertThat(entries(journal)).isEmpty();
    }

    @Test
    void whatAStopLeftIsReadBeforeIngressAndNewEventsAreNotDeliveredTwiceByTheResume()
            throws Exception {
        Path journal = dir.resolve("journal");
        CloudEvent left = event(CLOSED, "/s");
        DeliveryJournal.open(journal).store("test/b", "archive", 8, left);
        manifests();
        CountDownLatch newOneArrived = new CountDownLatch(1);
        // The new event's delivery stays under way (in the journal) while the resume runs.
        subscriber.respond(
                "/archive",
                r -> {
                    if (!r.ceId().equals(left.getId())) {
                        newOneArrived.countDown();
                        try {
                            release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return Answer.status(202);
                });
        broker = manifests().broker(subscriber.baseUrl(), 8, DeliveryJournal.open(journal));

        List<DeliveryJournal.Entry> leftBeforeStop = broker.leftBeforeStop();
        CloudEvent fresh = event(CLOSED, "/s");
        assertThat(broker.accept("test", "b", fresh)).isEqualTo(LocalBroker.Admission.ACCEPTED);
        assertThat(newOneArrived.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(entries(journal)).hasSize(2);

        assertThat(broker.resume(leftBeforeStop)).isEqualTo(1);
        release.countDown();
        assertThat(broker.awaitIdle(Duration.ofSeconds(20))).isTrue();

        assertThat(subscriber.receivedAt("/archive"))
                .extracting(Received::ceId)
                .containsExactlyInAnyOrder(left.getId(), fresh.getId());
        assertThat(entries(journal)).isEmpty();
    }

    private TestManifests manifests() throws IOException {
        Path manifests = dir.resolve("manifests");
        Files.createDirectories(manifests);
        TestManifests m = new TestManifests(manifests);
        if (!Files.exists(manifests.resolve("001.yaml"))) {
            m.broker(null)
                    .trigger("archive", typeFilter(CLOSED), subscriber.url("/archive"))
                    .trigger("index", typeFilter(ARCHIVED), subscriber.url("/index"));
        }
        return m;
    }

    /** Holds the first request until the test releases it (the broker is stopped meanwhile). */
    private Answer holdFirstThen(Received request, Answer answer) {
        if (subscriber.receivedAt(request.path()).size() == 1) {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return answer;
    }

    private static Answer archivedReply(Received request) {
        return new Answer(
                200,
                Map.of(
                        "ce-specversion",
                        "1.0",
                        "ce-id",
                        "archived-" + request.ceId(),
                        "ce-source",
                        "/dumpflow/archive",
                        "ce-type",
                        ARCHIVED,
                        "ce-dumpid",
                        request.header("ce-dumpid")),
                "");
    }

    private static List<Path> entries(Path journal) throws IOException {
        try (Stream<Path> files = Files.list(journal)) {
            return files.filter(f -> f.toString().endsWith(".delivery")).toList();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static String typeFilter(String type) {
        return "filters:\n  - exact:\n      type: " + type;
    }
}
