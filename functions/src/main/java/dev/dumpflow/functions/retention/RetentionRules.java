package dev.dumpflow.functions.retention;

import dev.dumpflow.events.StorageLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The retention dumpflow wants, checked once: the same rules, with the same IDs, as the lifecycle
 * configuration in {@code terraform/main.tf}.
 *
 * @param dumpDays days after which a dump expires
 * @param indexDays days after which an index record expires
 * @param transitionDays days after which a dump changes storage class, or null for never
 * @param transitionClass the class a dump moves to
 * @param abortIncompleteMultipartDays days after which an unfinished upload is aborted
 */
public record RetentionRules(
        int dumpDays,
        int indexDays,
        Integer transitionDays,
        TransitionClass transitionClass,
        int abortIncompleteMultipartDays) {

    /** ID of the rule that expires, and optionally moves, dumps. */
    public static final String DUMPS_RULE_ID = ManagedRule.ID_PREFIX + "dumps";

    /** ID of the rule that expires index records. */
    public static final String INDEX_RULE_ID = ManagedRule.ID_PREFIX + "index";

    /**
     * ID of the rule that expires the originals kept under a redaction policy, and aborts their
     * unfinished uploads; the same as Terraform's.
     */
    public static final String RAW_RULE_ID = ManagedRule.ID_PREFIX + "raw";

    /** ID of the rule that aborts unfinished multipart uploads of dumps. */
    public static final String ABORT_RULE_ID = ManagedRule.ID_PREFIX + "abort-incomplete-uploads";

    public RetentionRules {
        Objects.requireNonNull(transitionClass, "transitionClass");
        positive("dumpflow.retention.dump-days", dumpDays);
        positive("dumpflow.retention.index-days", indexDays);
        positive(
                "dumpflow.retention.abort-incomplete-multipart-days", abortIncompleteMultipartDays);
        if (transitionDays != null) {
            positive("dumpflow.retention.transition-days", transitionDays);
            if (transitionDays >= dumpDays) {
                throw new IllegalArgumentException(
                        "dumpflow.retention.transition-days (%d) must be less than dump-days (%d): a dump has to move before it expires"
                                .formatted(transitionDays, dumpDays));
            }
            if (transitionDays < transitionClass.minimumDays()) {
                throw new IllegalArgumentException(
                        "S3 moves objects to %s only after %d days; dumpflow.retention.transition-days was %d"
                                .formatted(
                                        transitionClass,
                                        transitionClass.minimumDays(),
                                        transitionDays));
            }
        }
    }

    /** The rules a configuration asks for; fails with a message naming the wrong setting. */
    public static RetentionRules from(RetentionConfig config) {
        return new RetentionRules(
                config.dumpDays(),
                config.indexDays(),
                config.transitionDays().isPresent() ? config.transitionDays().getAsInt() : null,
                config.transitionStorageClass(),
                config.abortIncompleteMultipartDays());
    }

    /** The lifecycle rules that carry this retention. */
    public List<ManagedRule> lifecycleRules() {
        List<ManagedRule> rules = new ArrayList<>(3);
        rules.add(
                new ManagedRule(
                        DUMPS_RULE_ID,
                        StorageLayout.DUMPS_PREFIX,
                        true,
                        dumpDays,
                        transitionDays,
                        transitionDays == null ? null : transitionClass.name(),
                        null));
        rules.add(
                new ManagedRule(
                        INDEX_RULE_ID,
                        StorageLayout.INDEX_PREFIX,
                        true,
                        indexDays,
                        null,
                        null,
                        null));
        // Only the archive function uploads in parts, and only under dumps/.
        rules.add(
                new ManagedRule(
                        ABORT_RULE_ID,
                        StorageLayout.DUMPS_PREFIX,
                        true,
                        null,
                        null,
                        null,
                        abortIncompleteMultipartDays));
        return List.copyOf(rules);
    }

    /**
     * Every rule dumpflow wants on its bucket: {@link #lifecycleRules()}, and with {@code
     * dumpflow.redaction.keep-original} set, the {@link #rawRule} that expires the originals. Both
     * the start-up that applies rules and the local stack's expiry take this one list, so a local
     * bucket ages like a managed one.
     */
    public List<ManagedRule> wanted(Optional<Duration> keepOriginal) {
        List<ManagedRule> wanted = new ArrayList<>(lifecycleRules());
        keepOriginal.map(this::rawRule).ifPresent(wanted::add);
        return List.copyOf(wanted);
    }

    /**
     * The rule for originals kept {@code keep} long ({@code dumpflow.redaction.keep-original}), in
     * whole days rounded up, as lifecycle rules count: an original is never expired before its
     * time.
     */
    public ManagedRule rawRule(Duration keep) {
        long seconds = keep.toSeconds() + (keep.getNano() > 0 ? 1 : 0);
        long days = Math.max(1, (seconds + 86_399) / 86_400);
        return new ManagedRule(
                RAW_RULE_ID,
                StorageLayout.RAW_PREFIX,
                true,
                Math.toIntExact(days),
                null,
                null,
                abortIncompleteMultipartDays);
    }

    private static void positive(String name, int days) {
        if (days <= 0) {
            throw new IllegalArgumentException(name + " must be greater than 0, was " + days);
        }
    }
}
