package dev.dumpflow.functions.gate;

import java.util.List;
import java.util.Map;

/**
 * A person or service account the API server vouched for through a TokenReview: what a
 * SubjectAccessReview needs to ask about them. Never the token.
 */
public record Caller(
        String username, String uid, List<String> groups, Map<String, List<String>> extra) {

    /** Checks the username and copies the lists, so a caller cannot change under a review. */
    public Caller {
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("a caller has a username");
        }
        groups = groups == null ? List.of() : List.copyOf(groups);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }
}
