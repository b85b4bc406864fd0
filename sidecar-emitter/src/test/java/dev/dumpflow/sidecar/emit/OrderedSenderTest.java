package dev.dumpflow.sidecar.emit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.Samples;
import dev.dumpflow.sidecar.RecordingReceiver;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.outbox.Outbox;
import dev.dumpflow.sidecar.outbox.OutboxConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        return senderTo(sink, 100);
    }

    OrderedSender senderTo(URI sink, int maxEvents) throws IOException {
        return senderTo(sink, maxEvents, state.resolve("no-token"));
    }

    OrderedSender senderTo(URI sink, int maxEvents, Path tokenFile) throws IOException {
        sender =
                new OrderedSender(
                        new EventComposer(
                                Samples.pod(), Map.of("team", "payments"), Clock.systemUTC()),
                        Outbox.open(new OutboxConfig(state.resolve("outbox"), maxEvents)),
                        new HttpEventPoster(sink, Duration.ofSeconds(2), tokenFile),
                        FAST,
                        new SidecarMetrics());
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

    @ParameterizedTest
    @ValueSource(ints = {400, 413, 415})
    void aRefusalThatCannotSucceedIsSetAsideAndTheNextEventStillGoes(int refusal) throws Exception {
        receiver = new RecordingReceiver().answering(refusal);
        senderTo(receiver.uri());

        emitDumpClosed("refused");
        emitDumpClosed("next");
        receiver.await(r -> r.answeredWith() == 202, WAIT);

        assertThat(receiver.received())
                .extracting(r -> r.event().getSubject(), RecordingReceiver.Received::answeredWith)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("refused", refusal),
                        org.assertj.core.groups.Tuple.tuple("next", 202));
        assertThat(state.resolve("outbox/rejected/00000000000000000001")).exists();
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403, 409, 422})
    void anyOtherRefusalIsRetried(int status) throws Exception {
        receiver = new RecordingReceiver().answering(status);
        senderTo(receiver.uri());

        emitDumpClosed("d1");
        receiver.await(r -> r.answeredWith() == 202, WAIT);

        assertThat(receiver.received())
                .extracting(RecordingReceiver.Received::answeredWith)
                .containsExactly(status, 202);
    }

    @Test
    void anEventStaysInTheOutboxUntilTheSinkAnswers2xx() throws Exception {
        receiver = new RecordingReceiver().answering(503, 404);
        senderTo(receiver.uri());

        emitDumpClosed("d1");
        // Stored before the first attempt, and still there after two refusals.
        receiver.await(r -> r.answeredWith() == 404, WAIT);
        assertThat(state.resolve("outbox/00000000000000000001")).exists();

        receiver.await(r -> r.answeredWith() == 202, WAIT);
        sender.close(WAIT);
        assertThat(sender.pending()).isZero();
        assertThat(state.resolve("outbox/00000000000000000001")).doesNotExist();
    }

    @Test
    void aFullOutboxLogsEachLostEventByTypeIdAndDumpIdAndCountsIt() throws Exception {
        List<LogRecord> errors = new ArrayList<>();
        Handler capture =
                new Handler() {
                    @Override
                    public synchronized void publish(LogRecord record) {
                        if (record.getLevel() == Level.SEVERE) {
                            errors.add(record);
                        }
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        Logger log = Logger.getLogger(OrderedSender.class.getName());
        log.addHandler(capture);
        try {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            // Nobody listens: everything waits in the outbox, which holds two.
            senderTo(URI.create("http://127.0.0.1:" + port + "/"), 2);

            emitDumpClosed("kept-1");
            emitDumpClosed("kept-2");
            emitDumpClosed("lost-3");

            assertThat(sender.lost()).isEqualTo(1);
            assertThat(sender.pending()).isEqualTo(2);
            assertThat(errors).hasSize(1);
            String message =
                    java.text.MessageFormat.format(
                            errors.getFirst().getMessage(), errors.getFirst().getParameters());
            assertThat(message)
                    .contains("LOST", EventTypes.DUMP_CLOSED, "dumpId lost-3", "outbox is full")
                    .containsPattern("id [0-9a-f-]{36}")
                    .contains("1 events lost since start");
        } finally {
            log.removeHandler(capture);
        }
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
    void anUnreadableTokenFileKeepsTheEventInTheOutboxUntilTheTokenCanBeRead() throws Exception {
        Path token = state.resolve("oidc/token");
        Files.createDirectories(token); // exists, but is no readable file
        List<LogRecord> warnings = new ArrayList<>();
        Handler capture =
                new Handler() {
                    @Override
                    public synchronized void publish(LogRecord record) {
                        warnings.add(record);
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        Logger log = Logger.getLogger(OrderedSender.class.getName());
        log.addHandler(capture);
        try {
            receiver = new RecordingReceiver();
            senderTo(receiver.uri(), 100, token);

            emitDumpClosed("d1");
            Thread.sleep(FAST.max().toMillis() * 3);
            assertThat(receiver.received()).isEmpty();
            assertThat(sender.pending()).isEqualTo(1);

            Files.delete(token);
            Files.writeString(token, "eyJ.the.token");
            receiver.await(r -> r.answeredWith() == 202, WAIT);

            assertThat(receiver.received())
                    .singleElement()
                    .satisfies(
                            r ->
                                    assertThat(r.headers())
                                            .containsEntry(
                                                    "authorization", "Bearer eyJ.the.token"));
            sender.close(WAIT);
            assertThat(sender.pending()).isZero();
            synchronized (capture) {
                assertThat(warnings)
                        .anySatisfy(w -> assertThat(text(w)).contains("d1", token.toString()))
                        .noneSatisfy(w -> assertThat(text(w)).contains("eyJ"));
            }
        } finally {
            log.removeHandler(capture);
        }
    }

    private static String text(LogRecord record) {
        return java.text.MessageFormat.format(record.getMessage(), record.getParameters());
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
