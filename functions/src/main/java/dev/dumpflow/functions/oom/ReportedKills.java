package dev.dumpflow.functions.oom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.ContainerOomKilled;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.once.OnceMarkers;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Reports each OOM kill once, across deliveries and replicas. A killed container keeps its {@code
 * lastState} until it terminates again, so every later update of the pod (a restart, a probe
 * turning ready) shows the same kill; a marker per kill (namespace, pod, container and {@code
 * finishedAt}; {@link OnceMarkers}) lets only the first event report it.
 *
 * <p>The marker keeps the report and the event that made it. When that same event comes again (the
 * Broker could not take the reply and delivers it anew), the same report is given again, with the
 * same id, rather than lost; receivers deduplicate on {@code source} + {@code id}.
 */
@ApplicationScoped
class ReportedKills {

    private static final Logger LOG = Logger.getLogger(ReportedKills.class);

    private final OnceMarkers markers;
    private final ObjectMapper json;

    ReportedKills(OnceMarkers markers, ObjectMapper json) {
        this.markers = markers;
        this.json = json;
    }

    /**
     * What a done marker keeps.
     *
     * @param event the {@code source} and {@code id} of the event that reported the kill
     * @param report the report it replied
     */
    record Reported(String event, ContainerOomKilled report) {}

    /**
     * The report to reply for a kill: built now when no event reported the kill yet, the stored one
     * when this same event reported it before, and empty when another event already did.
     *
     * @param event this event's {@code source} and {@code id}
     * @throws FunctionFailure unavailable when S3 cannot answer, or another replica holds the kill
     *     for too long
     */
    Optional<ContainerOomKilled> report(
            String event,
            String namespace,
            String pod,
            KilledContainers.Kill kill,
            Supplier<ContainerOomKilled> build) {
        String context =
                "pod=%s/%s container=%s killed at %s"
                        .formatted(namespace, pod, kill.container(), kill.finishedAt());
        String prefix =
                StorageLayout.markerPrefix(
                        "oom-killed",
                        String.join(
                                "/",
                                namespace,
                                pod,
                                kill.container(),
                                kill.finishedAt().toString()));
        OnceMarkers.Done done;
        try {
            done = markers.once(prefix, context, () -> write(new Reported(event, build.get())));
        } catch (OnceMarkers.StoreUnavailable e) {
            throw FunctionFailure.unavailable(e.getMessage(), e);
        }
        Optional<Reported> reported = read(context, done.result());
        if (done.ranHere()) {
            return reported.map(Reported::report);
        }
        if (reported.isPresent() && reported.get().event().equals(event)) {
            LOG.infof("%s: this event reported the kill before; the same report again", context);
            return reported.map(Reported::report);
        }
        LOG.debugf("%s: already reported by another event", context);
        return Optional.empty();
    }

    private String write(Reported reported) {
        try {
            return json.writeValueAsString(reported);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an OOM report did not serialise", e);
        }
    }

    private Optional<Reported> read(String context, String marker) {
        try {
            return Optional.of(json.readValue(marker, Reported.class));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("%s: the kill's marker holds no report (%s)", context, e.getMessage());
            return Optional.empty();
        }
    }
}
