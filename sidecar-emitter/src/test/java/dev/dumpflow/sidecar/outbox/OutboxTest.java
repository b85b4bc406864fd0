package dev.dumpflow.sidecar.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

    @TempDir Path state;

    Path dir() {
        return state.resolve("outbox");
    }

    Outbox open(int maxEvents) throws Exception {
        return Outbox.open(new OutboxConfig(dir(), maxEvents));
    }

    static CloudEvent event(String id) {
        return CloudEventBuilder.v1()
                .withId(id)
                .withSource(URI.create("/namespaces/shop/pods/checkout-1/containers/app"))
                .withType("dev.dumpflow.dump.closed")
                .withSubject("dump-" + id)
                .withTime(OffsetDateTime.parse("2026-12-06T05:00:00.123Z"))
                .withDataContentType("application/json")
                .withDataSchema(URI.create("https://dumpflow.dev/schemas/dump.closed/v1.json"))
                .withExtension("dumpid", "dump-" + id)
                .withExtension("team", "payments")
                .withExtension("attempt", 3)
                .withExtension("urgent", true)
                .withData(
                        ("{\"dumpId\":\"dump-" + id + "\",\"name\":\"é\"}")
                                .getBytes(StandardCharsets.UTF_8))
                .build();
    }

    List<Path> entries(Path in) throws Exception {
        try (Stream<Path> files = Files.list(in)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void storesEachEventOwnerOnlyUnderATwentyDigitSequenceName() throws Exception {
        Outbox outbox = open(10);

        assertThat(outbox.add(event("a"))).isTrue();
        assertThat(outbox.add(event("b"))).isTrue();

        assertThat(entries(dir()))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("00000000000000000001", "00000000000000000002");
        assertThat(
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(entries(dir()).getFirst())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())))
                .isEqualTo("rwx------");
    }

    @Test
    void anEventReadBackHasEveryAttributeExtensionAndDataByte() throws Exception {
        Outbox outbox = open(10);
        CloudEvent sent = event("a");
        outbox.add(sent);

        CloudEvent stored = outbox.awaitOldest().event();

        assertThat(stored).isEqualTo(sent);
        assertThat(stored.getExtension("attempt")).isEqualTo(3);
        assertThat(stored.getExtension("urgent")).isEqualTo(true);
    }

    @Test
    void aReopenedOutboxHasWhatWasLeftInOrderAndForgetsHalfWrittenEntries() throws Exception {
        Outbox first = open(10);
        first.add(event("a"));
        first.add(event("b"));
        first.add(event("c"));
        first.remove(first.awaitOldest().entry());
        // What a crash between write and rename leaves.
        Files.write(dir().resolve("00000000000000000004.tmp"), new byte[] {1, 2});

        Outbox reopened = open(10);

        assertThat(reopened.size()).isEqualTo(2);
        assertThat(dir().resolve("00000000000000000004.tmp")).doesNotExist();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Outbox.Stored next = reopened.awaitOldest();
            ids.add(next.event().getId());
            reopened.remove(next.entry());
        }
        assertThat(ids).containsExactly("b", "c");
        reopened.add(event("d"));
        assertThat(entries(dir()))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("00000000000000000004");
    }

    @Test
    void aFullOutboxRefusesTheEventAndStoresNothing() throws Exception {
        Outbox outbox = open(2);

        assertThat(outbox.add(event("a"))).isTrue();
        assertThat(outbox.add(event("b"))).isTrue();
        assertThat(outbox.add(event("c"))).isFalse();

        assertThat(outbox.size()).isEqualTo(2);
        assertThat(entries(dir())).hasSize(2);
    }

    @Test
    void aCorruptEntryIsMovedToRejectedAndTheNextOneIsTaken() throws Exception {
        Outbox outbox = open(10);
        outbox.add(event("a"));
        outbox.add(event("b"));
        Path first = dir().resolve("00000000000000000001");
        byte[] bytes = Files.readAllBytes(first);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(first, bytes);

        assertThat(outbox.awaitOldest().event().getId()).isEqualTo("b");
        assertThat(outbox.size()).isEqualTo(1);
        assertThat(outbox.rejectedDir().resolve("00000000000000000001")).exists();
        assertThat(first).doesNotExist();
    }

    @Test
    void aTruncatedOrForeignFileIsCorruptNotAnEvent() {
        byte[] whole = EventFile.encode(event("a"));
        for (int cut : new int[] {0, 5, whole.length / 2, whole.length - 1}) {
            byte[] truncated = java.util.Arrays.copyOf(whole, cut);
            assertThatThrownBy(() -> EventFile.decode(truncated))
                    .isInstanceOf(EventFile.Corrupt.class);
        }
        assertThatThrownBy(
                        () -> EventFile.decode("{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventFile.Corrupt.class);
    }
}
