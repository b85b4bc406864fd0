package dev.dumpflow.localstack.broker;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Writes small Broker and Trigger manifests for tests, in the shape of those in knative/. */
final class TestManifests {

    private final Path directory;
    private int files;

    TestManifests(Path directory) {
        this.directory = directory;
    }

    /** A Broker "test/b" with the given delivery block (YAML under spec.delivery), or none. */
    TestManifests broker(String delivery) throws IOException {
        String spec =
                delivery == null ? "spec: {}\n" : "spec:\n  delivery:\n" + indent(delivery, 4);
        return write(
                """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: b
                  namespace: test
                """
                        + spec);
    }

    /** A Trigger of broker "test/b" posting to an absolute URL, with a filter block (YAML). */
    TestManifests trigger(String name, String filter, URI subscriber) throws IOException {
        return write(
                """
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: %s
                  namespace: test
                spec:
                  broker: b
                %s
                  subscriber:
                    uri: %s
                """
                        .formatted(name, indent(filter, 2), subscriber));
    }

    KnativeManifests load() {
        return KnativeManifests.load(directory);
    }

    /** A broker over these manifests; Service refs resolve to {@code base}. */
    LocalBroker broker(URI base, int hopLimit) {
        return broker(base, hopLimit, DeliveryJournal.none());
    }

    /** A broker over these manifests that keeps its pending deliveries in {@code journal}. */
    LocalBroker broker(URI base, int hopLimit, DeliveryJournal journal) {
        return new LocalBroker(
                BrokerTopology.from(load(), base, java.time.Duration.ofSeconds(5)),
                hopLimit,
                64,
                journal);
    }

    static CloudEvent event(String type, String source) {
        return CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withSource(URI.create(source))
                .withType(type)
                .withExtension("dumpid", "d-" + UUID.randomUUID())
                .withDataContentType("application/json")
                .withData("{\"n\":1}".getBytes())
                .build();
    }

    private TestManifests write(String yaml) throws IOException {
        Files.writeString(directory.resolve("%03d.yaml".formatted(++files)), yaml);
        return this;
    }

    private static String indent(String text, int spaces) {
        String pad = " ".repeat(spaces);
        return text.stripTrailing()
                        .lines()
                        .map(l -> pad + l)
                        .reduce((a, b) -> a + "\n" + b)
                        .orElse("")
                + "\n";
    }
}
