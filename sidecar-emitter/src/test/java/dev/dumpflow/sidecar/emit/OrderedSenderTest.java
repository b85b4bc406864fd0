package dev.dumpflow.sidecar.emit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.Samples;
import dev.dumpflow.sidecar.RecordingReceiver;
import dev.dumpflow.sidecar.outbox.Outbox;
import dev.dumpflow.sidecar.outbox.OutboxConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderedSenderTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100));

    @TempDir Path state;
    RecordingReceiver receiver;
    OrderedSender sender;

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close(Duration.ZERO);
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    OrderedSender senderTo(URI sink) throws IOException {
        sender =
                new OrderedSender(
                        new EventComposer(
                                Samples.pod(), Map.of("team", "payments"), Clock.systemUTC()),
                        Outbox.open(new OutboxConfig(state.resolve("outbox"), 100)),
                        new HttpEventPoster(sink, Duration.ofSeconds(2)),
                        FAST);
        return sender;
    }

    void emitDumpClosed(String dumpId) {
        sender.emit(EventTypes.DUMP_CLOSED, dumpId, dumpId, Samples.dumpClosed());
    }

    @Test
    void aReceiverAnswering503AtFirstStillGetsTheEventWithTheSameId() throws Exception {
        receiver = new RecordingReceiver().answering(503, 503, 500, 429, 408, 404);
        senderTo(receiver.uri());

        emitDumpClosed("d1");
        receiver.await(r -> r.answeredWith() == 202, WAIT);

        assertThat(receiver.received()).hasSize(7);
        assertThat(receiver.received())
                .extracting(r -> r.event().getId())
                .containsOnly(receiver.received().getFirst().event().getId());
    }

    @Test
    void aRefusalThatCannotSucceedIsDroppedAndTheNextEventStillGoes() throws Exception {
        receiver = new RecordingReceiver().answering(400);
        senderTo(receiver.uri());

        emitDumpClosed("refused");
        emitDumpClosed("next");
        receiver.await(r -> r.answeredWith() == 202, WAIT);

        assertThat(receiver.received())
                .extracting(r -> r.event().getSubject(), RecordingReceiver.Received::answeredWith)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("refused", 400),
                        org.assertj.core.groups.Tuple.tuple("next", 202));
    }

    @Test
    void eventsArriveInTheOrderTheyWereEmittedDespiteRetries() throws Exception {
        receiver = new RecordingReceiver().answering(503, 503);
        senderTo(receiver.uri());

        for (int i = 0; i < 5; i++) {
            emitDumpClosed("d" + i);
        }
        receiver.await(r -> r.event().getSubject().equals("d4"), WAIT);

        assertThat(receiver.received())
                .filteredOn(r -> r.answeredWith() == 202)
                .extracting(r -> r.event().getSubject())
                .containsExactly("d0", "d1", "d2", "d3", "d4");
    }

    @Test
    void aSinkThatIsNotListeningYetGetsTheEventOnceItIs() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        senderTo(URI.create("http://127.0.0.1:" + port + "/"));
        emitDumpClosed("early");
        // Connection refused until a receiver binds that port.
        Thread.sleep(FAST.max().toMillis() * 2);
        receiver = RecordingReceiver.onPort(port);

        receiver.await(r -> r.event().getSubject().equals("early"), WAIT);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void backoffDoublesUpToItsCap() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(1));
        assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.delayAfter(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayAfter(60)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryPolicy.retryable(404)).isTrue();
        assertThat(RetryPolicy.retryable(429)).isTrue();
        assertThat(RetryPolicy.retryable(503)).isTrue();
        assertThat(RetryPolicy.retryable(400)).isFalse();
        assertThat(RetryPolicy.retryable(413)).isFalse();
        assertThat(RetryPolicy.retryable(415)).isFalse();
    }
}
