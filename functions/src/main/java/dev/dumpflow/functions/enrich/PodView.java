package dev.dumpflow.functions.enrich;

import dev.dumpflow.events.PodIdentity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/**
 * A pod as the Kubernetes API showed it, with its top-level workload.
 *
 * @param pod the pod
 * @param workload its top-level owner, or null when it has none
 * @param workloadObject the owner object, or null when unknown or unreadable
 */
public record PodView(Pod pod, PodIdentity.Workload workload, HasMetadata workloadObject) {

    /** The pod's annotation {@code name}, else the workload's, else null. */
    public String annotation(String name) {
        String own = annotations(pod).get(name);
        if (own != null) {
            return own;
        }
        return workloadObject == null ? null : annotations(workloadObject).get(name);
    }

    private static Map<String, String> annotations(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }
}
