package dev.dumpflow.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.EventTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox across real restarts of the sidecar process: nothing emitted is lost to a sink that is
 * down, or to a SIGTERM in the middle of a send.
 */
class OutboxRestartTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Pattern QUEUED =
            Pattern.compile(
                    "queued " + Pattern.quote(EventTypes.DUMP_CLOSED) + " id ([0-9a-f-]{36})");
    static final String DELIVERED =
            "dumpflow_sidecar_events_delivered_total{type=\"" + EventTypes.DUMP_CLOSED + "\"}";

    @TempDir Path dir;

    Path dumps() {
        return dir.resolve("dumps");
    }

    Path outbox() {
        return dumps().resolve(".dumpflow/outbox");
    }

    Map<String, String> env(String sink, int port) {
        return Map.of(
                "K_SINK",
                sink,
                "DUMPFLOW_DUMP_DIRS",
                dumps().toString(),
                "DUMPFLOW_PORT",
                Integer.toString(port),
                "DUMPFLOW_ADVERTISE_HOST",
                "127.0.0.1",
                // Only the dump path's events: no process here is watched for memory.
                "DUMPFLOW_PROCESS_MATCH",
                "^no process has this command line$");
    }

    void writeDump(String name) throws IOException {
        Files.createDirectories(dumps());
        byte[] content = new byte[4096];
        byte[] head = "JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, content, 0, head.length);
        Files.write(dumps().resolve(name), content);
    }

    List<Path> outboxEntries() throws IOException {
        try (Stream<Path> files = Files.list(outbox())) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static List<String> ids(Pattern pattern, String output) {
        List<String> ids = new ArrayList<>();
        Matcher m = pattern.matcher(output);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    @Test
    void eventsStoredWhileTheSinkIsDownAreSentInOrderWithTheirIdsAfterARestart() throws Exception {
        writeDump("java_pid1.hprof");
        writeDump("java_pid2.hprof");
        writeDump("java_pid3.hprof");
        String down = "http://127.0.0.1:" + freePort() + "/";

        List<String> queued;
        String firstOutput;
        try (SidecarProcess first =
                SidecarProcess.start(env(down, freePort()), dir.resolve("first.log"))) {
            queued = ids(QUEUED, first.await(QUEUED, 3, WAIT));
            first.await(Pattern.compile("; retrying in "), 1, WAIT);
            first.terminate(WAIT);
            firstOutput = first.output();
        }
        assertThat(queued).hasSize(3).doesNotHaveDuplicates();
        assertThat(outboxEntries()).as(firstOutput).hasSize(3);

        int port = freePort();
        try (RecordingReceiver receiver = new RecordingReceiver();
                SidecarProcess second =
                        SidecarProcess.start(
                                env(receiver.uri().toString(), port), dir.resolve("second.log"))) {
            assertThat(MetricsScrape.await(port, DELIVERED, 3, WAIT)).isEqualTo(3);
            assertThat(receiver.received())
                    .filteredOn(r -> r.event().getType().equals(EventTypes.DUMP_CLOSED))
                    .extracting(r -> r.event().getId())
                    .containsExactlyElementsOf(queued);
            assertThat(MetricsScrape.sample(port, "dumpflow_sidecar_announcements_total"))
                    .hasValue(0);
            assertThat(MetricsScrape.sample(port, "dumpflow_sidecar_outbox_events")).hasValue(0);
            second.terminate(WAIT);
        }
        assertThat(outboxEntries()).isEmpty();
    }

    @Test
    void aSigtermInTheMiddleOfASendLeavesTheEventInTheOutbox() throws Exception {
        writeDump("java_pid4.hprof");
        // A sink that reads the request and never answers.
        CountDownLatch requestArrived = new CountDownLatch(1);
        List<Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual()
                    .start(
                            () -> {
                                try {
                                    while (true) {
                                        Socket s = silent.accept();
                                        held.add(s);
                                        InputStream in = s.getInputStream();
                                        if (in.read() >= 0) {
                                            requestArrived.countDown();
                                        }
                                    }
                                } catch (IOException closed) {
                                    // the test is over
                                }
                            });
            String sink = "http://127.0.0.1:" + silent.getLocalPort() + "/";
            String id;
            int port = freePort();
            try (SidecarProcess sidecar =
                    SidecarProcess.start(env(sink, port), dir.resolve("run.log"))) {
                id = ids(QUEUED, sidecar.await(QUEUED, 1, WAIT)).getFirst();
                assertThat(requestArrived.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(MetricsScrape.sample(port, DELIVERED)).hasValue(0);
                assertThat(MetricsScrape.sample(port, "dumpflow_sidecar_outbox_events"))
                        .hasValue(1);

                sidecar.terminate(WAIT);
                assertThat(sidecar.output()).contains("1 events not delivered before stop");
            }
            List<Path> left = outboxEntries();
            assertThat(left).hasSize(1);
            assertThat(new String(Files.readAllBytes(left.getFirst()), StandardCharsets.ISO_8859_1))
                    .contains(id);
        } finally {
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
