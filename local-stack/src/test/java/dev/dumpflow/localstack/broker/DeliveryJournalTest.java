package dev.dumpflow.localstack.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk form of the local broker's pending deliveries. */
class DeliveryJournalTest {

    @TempDir Path dir;

    @Test
    void anEntryReadsBackAsTheSameEventRoutingAndOrder() throws Exception {
        DeliveryJournal journal = DeliveryJournal.open(dir);
        byte[] data = new byte[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i; // every byte value, a blank line ("\n\n") included
        }
        CloudEvent event =
                CloudEventBuilder.v1()
                        .withId("id-1")
                        .withSource(URI.create("/namespaces/a/pods/p"))
                        .withType("dev.dumpflow.dump.closed")
                        .withTime(OffsetDateTime.of(2026, 12, 6, 21, 0, 0, 0, ZoneOffset.UTC))
                        .withSubject("heap.hprof")
                        .withExtension("dumpid", "d-1")
                        .withExtension("knativeerrordata", "50% done\nsecond line %0A\r")
                        .withDataContentType("application/octet-stream")
                        .withData(data)
                        .build();
        journal.store("test/b", "first", 3, event);
        journal.store("test/b", "second", 7, event);

        var pending = DeliveryJournal.open(dir).pending();

        assertThat(pending)
                .extracting(DeliveryJournal.Entry::trigger)
                .containsExactly("first", "second");
        DeliveryJournal.Entry first = pending.getFirst();
        assertThat(first.broker()).isEqualTo("test/b");
        assertThat(first.ttl()).isEqualTo(3);
        assertThat(first.event()).isEqualTo(event);
        assertThat(first.event().getData().toBytes()).isEqualTo(data);
    }

    @Test
    void numberingGoesOnAfterTheEntriesLeftAndInterruptedWritesAreSweptAway() throws Exception {
        DeliveryJournal journal = DeliveryJournal.open(dir);
        var left = journal.store("test/b", "t", 1, event("a"));
        Files.writeString(dir.resolve("00000000000000000099.delivery.tmp"), "half");

        DeliveryJournal reopened = DeliveryJournal.open(dir);
        var next = reopened.store("test/b", "t", 1, event("b"));

        assertThat(next.sequence()).isGreaterThan(left.sequence());
        assertThat(dir.resolve("00000000000000000099.delivery.tmp")).doesNotExist();
        assertThat(reopened.pending()).extracting(e -> e.event().getId()).containsExactly("a", "b");
    }

    @Test
    void anUnreadableEntryIsMovedAsideAndDoesNotStopTheOthers() throws Exception {
        DeliveryJournal journal = DeliveryJournal.open(dir);
        var torn = journal.store("test/b", "t", 1, event("torn"));
        journal.store("test/b", "t", 1, event("whole"));
        byte[] bytes = Files.readAllBytes(torn.file());
        Files.write(torn.file(), java.util.Arrays.copyOf(bytes, 40));

        var pending = journal.pending();

        assertThat(pending).extracting(e -> e.event().getId()).containsExactly("whole");
        assertThat(dir.resolve("unreadable").resolve(torn.file().getFileName())).exists();
        assertThat(torn.file()).doesNotExist();
    }

    @Test
    void aRemovedEntryIsNotPending() throws Exception {
        DeliveryJournal journal = DeliveryJournal.open(dir);
        var done = journal.store("test/b", "t", 1, event("done"));
        journal.store("test/b", "t", 1, event("left"));

        journal.remove(done);

        assertThat(journal.pending()).extracting(e -> e.event().getId()).containsExactly("left");
    }

    @Test
    void aJournalWithoutADirectoryKeepsNothing() throws Exception {
        DeliveryJournal none = DeliveryJournal.none();
        none.store("test/b", "t", 1, event("x"));

        assertThat(none.durable()).isFalse();
        assertThat(none.pending()).isEmpty();
    }

    private static CloudEvent event(String id) {
        return CloudEventBuilder.v1()
                .withId(id)
                .withSource(URI.create("/s"))
                .withType("dev.dumpflow.dump.closed")
                .build();
    }
}
