package dev.dumpflow.functions.retention;

import java.util.Objects;
import software.amazon.awssdk.services.s3.model.AbortIncompleteMultipartUpload;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.Transition;

/**
 * One lifecycle rule that dumpflow owns, reduced to what dumpflow sets: comparing two of them tells
 * whether a bucket's rule already says what we want, however the store echoes it back.
 *
 * @param id rule ID, always starting with {@link #ID_PREFIX}
 * @param prefix the key prefix the rule applies to
 * @param enabled whether the rule is enabled
 * @param expirationDays days after which objects expire, or null
 * @param transitionDays days after which objects move to {@code storageClass}, or null
 * @param storageClass the class objects move to, or null when there is no transition
 * @param abortIncompleteMultipartDays days after which unfinished uploads are aborted, or null
 */
public record ManagedRule(
        String id,
        String prefix,
        boolean enabled,
        Integer expirationDays,
        Integer transitionDays,
        String storageClass,
        Integer abortIncompleteMultipartDays) {

    /** Every rule ID dumpflow owns starts with this; other rules are never touched. */
    public static final String ID_PREFIX = "dumpflow-";

    public ManagedRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prefix, "prefix");
        if (!id.startsWith(ID_PREFIX)) {
            throw new IllegalArgumentException(
                    "a managed rule ID must start with " + ID_PREFIX + ", was " + id);
        }
        if ((transitionDays == null) != (storageClass == null)) {
            throw new IllegalArgumentException(
                    "rule " + id + ": transition days and storage class go together");
        }
    }

    /** Whether a bucket's rule, of any origin, is one that dumpflow owns. */
    public static boolean isManaged(LifecycleRule rule) {
        return rule.id() != null && rule.id().startsWith(ID_PREFIX);
    }

    /** What a rule read from a bucket says, in the terms dumpflow sets. */
    public static ManagedRule of(LifecycleRule rule) {
        LifecycleRuleFilter filter = rule.filter();
        @SuppressWarnings("deprecation") // stores that predate Filter still answer with Prefix
        String prefix =
                filter != null && filter.prefix() != null
                        ? filter.prefix()
                        : Objects.requireNonNullElse(rule.prefix(), "");
        Transition transition = rule.hasTransitions() ? rule.transitions().getFirst() : null;
        return new ManagedRule(
                rule.id(),
                prefix,
                rule.status() == ExpirationStatus.ENABLED,
                rule.expiration() == null ? null : rule.expiration().days(),
                transition == null ? null : transition.days(),
                transition == null ? null : transition.storageClassAsString(),
                rule.abortIncompleteMultipartUpload() == null
                        ? null
                        : rule.abortIncompleteMultipartUpload().daysAfterInitiation());
    }

    /** This rule as S3 takes it. */
    public LifecycleRule toLifecycleRule() {
        LifecycleRule.Builder rule =
                LifecycleRule.builder()
                        .id(id)
                        .filter(LifecycleRuleFilter.builder().prefix(prefix).build())
                        .status(enabled ? ExpirationStatus.ENABLED : ExpirationStatus.DISABLED);
        if (expirationDays != null) {
            rule.expiration(LifecycleExpiration.builder().days(expirationDays).build());
        }
        if (transitionDays != null) {
            rule.transitions(
                    Transition.builder().days(transitionDays).storageClass(storageClass).build());
        }
        if (abortIncompleteMultipartDays != null) {
            rule.abortIncompleteMultipartUpload(
                    AbortIncompleteMultipartUpload.builder()
                            .daysAfterInitiation(abortIncompleteMultipartDays)
                            .build());
        }
        return rule.build();
    }
}
