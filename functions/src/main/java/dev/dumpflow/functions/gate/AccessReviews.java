package dev.dumpflow.functions.gate;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Asks the API server who a bearer token belongs to (TokenReview) and whether that caller may
 * {@code get} or {@code list} the virtual resource {@code dumps.dumpflow.dev} in a namespace
 * (SubjectAccessReview). Nothing is cached: a revoked token or a removed RoleBinding takes effect
 * on the next request.
 *
 * <p>With {@code dumpflow.download.allow-all=true} (set only by {@code bin/local-stack}) it asks
 * nobody and allows everything, and says so in one WARNING at start.
 */
@ApplicationScoped
public class AccessReviews {

    /** The API group of the virtual resource that RBAC rules name. */
    public static final String GROUP = "dumpflow.dev";

    /** The virtual resource that RBAC rules name. */
    public static final String RESOURCE = "dumps";

    /** The caller recorded when everything is allowed. */
    static final String ALLOW_ALL_USER = "allow-all (local stack)";

    private static final Logger LOG = Logger.getLogger(AccessReviews.class);

    private final KubernetesClient client;
    private final GateConfig config;

    AccessReviews(KubernetesClient client, GateConfig config) {
        this.client = client;
        this.config = config;
    }

    void warnOnStart(@Observes StartupEvent start) {
        if (config.gateEnabled() && config.allowAll()) {
            LOG.warn(
                    "dumpflow.download.allow-all=true: the download gate allows every request"
                            + " without asking Kubernetes; this is for the local stack only");
        }
    }

    /**
     * The caller a bearer token belongs to, or empty when there is no token or the API server does
     * not authenticate it. When everything is allowed, any request, with a token or without, is the
     * one caller {@value #ALLOW_ALL_USER}.
     *
     * @throws GateUnavailable when the API server cannot answer
     */
    public Optional<Caller> authenticate(Optional<String> bearer) {
        if (config.allowAll()) {
            return Optional.of(new Caller(ALLOW_ALL_USER, null, List.of(), Map.of()));
        }
        if (bearer.isEmpty()) {
            return Optional.empty();
        }
        String token = bearer.get();
        TokenReview review;
        try {
            review =
                    client.authentication()
                            .v1()
                            .tokenReviews()
                            .create(
                                    new TokenReviewBuilder()
                                            .withNewSpec()
                                            .withToken(token)
                                            .endSpec()
                                            .build());
        } catch (KubernetesClientException e) {
            throw new GateUnavailable("the TokenReview failed: " + e.getCode(), e);
        }
        if (review == null
                || review.getStatus() == null
                || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())
                || review.getStatus().getUser() == null
                || review.getStatus().getUser().getUsername() == null
                || review.getStatus().getUser().getUsername().isBlank()) {
            return Optional.empty();
        }
        UserInfo user = review.getStatus().getUser();
        return Optional.of(
                new Caller(user.getUsername(), user.getUid(), user.getGroups(), user.getExtra()));
    }

    /**
     * Whether the caller may do {@code verb} on {@code dumps.dumpflow.dev} in the namespace, for
     * the named dump when {@code name} is given.
     *
     * @throws GateUnavailable when the API server cannot answer
     */
    public boolean allows(Caller caller, String verb, String namespace, Optional<String> name) {
        if (config.allowAll()) {
            return true;
        }
        SubjectAccessReview review;
        try {
            review =
                    client.authorization()
                            .v1()
                            .subjectAccessReview()
                            .create(
                                    new SubjectAccessReviewBuilder()
                                            .withNewSpec()
                                            .withUser(caller.username())
                                            .withUid(caller.uid())
                                            .withGroups(caller.groups())
                                            .withExtra(caller.extra())
                                            .withNewResourceAttributes()
                                            .withGroup(GROUP)
                                            .withResource(RESOURCE)
                                            .withVerb(verb)
                                            .withNamespace(namespace)
                                            .withName(name.orElse(null))
                                            .endResourceAttributes()
                                            .endSpec()
                                            .build());
        } catch (KubernetesClientException e) {
            throw new GateUnavailable("the SubjectAccessReview failed: " + e.getCode(), e);
        }
        return review != null
                && review.getStatus() != null
                && Boolean.TRUE.equals(review.getStatus().getAllowed())
                && !Boolean.TRUE.equals(review.getStatus().getDenied());
    }
}
