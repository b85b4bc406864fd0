package dev.dumpflow.functions.notify;

import dev.dumpflow.functions.enrich.PodView;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The owning team's own e-mail recipients, from the pod's or its workload's annotation {@value
 * #ANNOTATION}: a comma-separated list. Anything that does not look like a plain address (spaces,
 * line breaks, angle brackets) is dropped, so an annotation cannot inject mail headers.
 */
final class TeamRecipients {

    /** The annotation teams set on their pod template or workload. */
    static final String ANNOTATION = "dumpflow.dev/notify-email";

    private static final Logger LOG = Logger.getLogger(TeamRecipients.class);
    private static final Pattern ADDRESS =
            Pattern.compile("[^\\s\\p{Cntrl}@<>,;\"]+@[^\\s\\p{Cntrl}@<>,;\"]+");

    private TeamRecipients() {}

    static List<String> of(String context, Optional<PodView> view) {
        String value = view.map(v -> v.annotation(ANNOTATION)).orElse(null);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> all = Arrays.stream(value.split(",")).map(String::trim).toList();
        List<String> valid = all.stream().filter(a -> ADDRESS.matcher(a).matches()).toList();
        if (valid.size() < all.stream().filter(a -> !a.isEmpty()).count()) {
            LOG.warnf(
                    "%s: ignored entries of annotation %s that are not plain e-mail addresses",
                    context, ANNOTATION);
        }
        return valid;
    }
}
