package dev.dumpflow.functions.redact;

import dev.dumpflow.analysis.redact.RedactionMode;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.enrich.PodVerification;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Decides how a dump is redacted: the strictest of the global {@code dumpflow.redaction.mode}, the
 * annotation {@value #ANNOTATION} on the pod's namespace, and the same annotation on the pod's
 * workload (as the claim check resolved it from the API, never from the event). So a workload can
 * tighten its namespace's policy but never loosen it.
 *
 * <p>Fails closed: a namespace or workload the API cannot show (unreachable, refused, 5xx) is
 * {@link FunctionFailure#unavailable}, and nothing is fetched or stored until it can; an annotation
 * value that is not a mode counts as {@code primitives}. Without a cluster ({@code
 * dumpflow.kubernetes.enabled=false}, the local stack, where claims are not checked either) only
 * the global mode applies.
 */
@ApplicationScoped
public class RedactionPolicy {

    /** The annotation teams set on a namespace or a workload. */
    public static final String ANNOTATION = "dumpflow.dev/redact";

    private static final Logger LOG = Logger.getLogger(RedactionPolicy.class);

    private final RedactionConfig config;
    private final PodVerification api;
    private final Counter invalid;

    RedactionPolicy(RedactionConfig config, PodVerification api, MeterRegistry registry) {
        this.config = config;
        this.api = api;
        this.invalid =
                Counter.builder("dumpflow.redaction.annotation.invalid")
                        .description(
                                "Values of the dumpflow.dev/redact annotation that name no mode,"
                                        + " each taken as primitives.")
                        .register(registry);
    }

    /**
     * The mode for a dump of {@code pod}, whose identity the claim check verified.
     *
     * @throws FunctionFailure unavailable when the namespace or workload cannot be read
     */
    public RedactionMode modeFor(String dumpId, PodIdentity pod) {
        RedactionMode mode = config.mode();
        if (!api.enabled()) {
            return mode;
        }
        String context = "dumpId=" + dumpId;
        mode =
                strictest(
                        dumpId,
                        mode,
                        api.namespaceAnnotations(context, pod.namespace()),
                        "namespace " + pod.namespace());
        if (pod.workload() != null) {
            mode =
                    strictest(
                            dumpId,
                            mode,
                            api.workloadAnnotations(context, pod.namespace(), pod.workload()),
                            "%s %s/%s"
                                    .formatted(
                                            pod.workload().kind(),
                                            pod.namespace(),
                                            pod.workload().name()));
        }
        return mode;
    }

    /** Stops the start-up on a keep-original that keeps nothing. */
    void checkAtStartup(@Observes StartupEvent started) {
        config.keepOriginal()
                .filter(d -> d.isNegative() || d.isZero())
                .ifPresent(
                        d -> {
                            throw new IllegalArgumentException(
                                    "dumpflow.redaction.keep-original must be a positive duration"
                                            + " such as P3D, or unset; was "
                                            + d);
                        });
        if (config.mode() != RedactionMode.NONE) {
            LOG.infof(
                    "redaction: every dump is redacted at least as %s; originals %s",
                    config.mode().wire(),
                    keepsOriginals()
                            ? "kept under raw/ for " + config.keepOriginal().get()
                            : "not kept");
        }
    }

    /** How many times its announced size a gzip dump may expand when gunzipped to be redacted. */
    public int maxExpansion() {
        return config.maxExpansion();
    }

    /** Whether the originals of redacted dumps are kept under {@code raw/}. */
    public boolean keepsOriginals() {
        return config.keepOriginal().isPresent();
    }

    private RedactionMode strictest(
            String dumpId,
            RedactionMode mode,
            Optional<Map<String, String>> annotations,
            String owner) {
        String value = annotations.map(a -> a.get(ANNOTATION)).orElse(null);
        if (value == null) {
            return mode;
        }
        RedactionMode asked;
        try {
            asked = RedactionMode.fromWire(value);
        } catch (IllegalArgumentException e) {
            invalid.increment();
            LOG.warnf(
                    "dump %s: %s has %s=%s, which is not none, strings or primitives; taken as"
                            + " primitives",
                    dumpId, owner, ANNOTATION, value);
            asked = RedactionMode.PRIMITIVES;
        }
        return RedactionMode.strictest(mode, asked);
    }
}
