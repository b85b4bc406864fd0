package dev.dumpflow.functions.gate;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * The fabric8 mock API server answering TokenReviews and SubjectAccessReviews as an API server with
 * this RBAC would: {@link #ALICE_TOKEN} is alice (group {@code team-a-devs}), {@link #BOB_TOKEN} is
 * bob; a RoleBinding of {@code dumpflow-dump-reader} gives the group {@code team-a-devs} get and
 * list on {@code dumps.dumpflow.dev} in {@link #TEAM_A}, and bob the same in {@link #TEAM_B}. Any
 * other token is not authenticated.
 */
public class AuthReviewResource implements QuarkusTestResourceLifecycleManager {

    public static final String ALICE_TOKEN = "alice-token-0123456789";
    public static final String BOB_TOKEN = "bob-token-0123456789";
    public static final String TEAM_A = "team-a";
    public static final String TEAM_B = "team-b";

    private KubernetesMockServer server;

    @Override
    public Map<String, String> start() {
        server = new KubernetesMockServer(false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        server.expect()
                .post()
                .withPath("/apis/authentication.k8s.io/v1/tokenreviews")
                .andReply(201, r -> tokenReview(r.getUtf8Body()))
                .always();
        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews")
                .andReply(201, r -> accessReview(r.getUtf8Body()))
                .always();
        return Map.of("dumpflow.kubernetes.api-server-url", server.url("/"));
    }

    private static TokenReview tokenReview(String body) {
        TokenReview review = Serialization.unmarshal(body, TokenReview.class);
        String token = review.getSpec().getToken();
        var status = new TokenReviewStatusBuilder().withAuthenticated(false);
        if (ALICE_TOKEN.equals(token)) {
            status.withAuthenticated(true)
                    .withUser(
                            new UserInfoBuilder()
                                    .withUsername("alice")
                                    .withGroups(List.of("team-a-devs", "system:authenticated"))
                                    .build());
        } else if (BOB_TOKEN.equals(token)) {
            status.withAuthenticated(true)
                    .withUser(
                            new UserInfoBuilder()
                                    .withUsername("bob")
                                    .withGroups(List.of("system:authenticated"))
                                    .build());
        }
        review.setStatus(status.build());
        return review;
    }

    private static SubjectAccessReview accessReview(String body) {
        SubjectAccessReview review = Serialization.unmarshal(body, SubjectAccessReview.class);
        ResourceAttributes asked = review.getSpec().getResourceAttributes();
        boolean reader =
                asked != null
                        && "dumpflow.dev".equals(asked.getGroup())
                        && "dumps".equals(asked.getResource())
                        && List.of("get", "list").contains(asked.getVerb());
        List<String> groups =
                review.getSpec().getGroups() == null ? List.of() : review.getSpec().getGroups();
        boolean allowed =
                reader
                        && ((groups.contains("team-a-devs") && TEAM_A.equals(asked.getNamespace()))
                                || ("bob".equals(review.getSpec().getUser())
                                        && TEAM_B.equals(asked.getNamespace())));
        review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowed).build());
        return review;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.destroy();
        }
    }
}
