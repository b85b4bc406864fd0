package dev.dumpflow.functions.retention;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/**
 * A bucket's lifecycle rules with dumpflow's put in: rules whose ID starts with {@link
 * ManagedRule#ID_PREFIX} are replaced by the wanted ones, every other rule stays as it was.
 *
 * @param rules the merged rules, the bucket's own first and in their order
 * @param changed whether they differ from what the bucket has, so whether to write them back
 */
public record LifecycleMerge(List<LifecycleRule> rules, boolean changed) {

    public LifecycleMerge {
        rules = List.copyOf(rules);
    }

    /** Merges the wanted rules into the bucket's current ones. */
    public static LifecycleMerge of(List<LifecycleRule> current, List<ManagedRule> wanted) {
        List<LifecycleRule> merged = new ArrayList<>();
        Map<String, ManagedRule> ours = new LinkedHashMap<>();
        for (LifecycleRule rule : current) {
            if (ManagedRule.isManaged(rule)) {
                ours.put(rule.id(), ManagedRule.of(rule));
            } else {
                merged.add(rule);
            }
        }
        Map<String, ManagedRule> wantedById = new LinkedHashMap<>();
        for (ManagedRule rule : wanted) {
            wantedById.put(rule.id(), rule);
            merged.add(rule.toLifecycleRule());
        }
        // A dumpflow- rule that is no longer wanted goes too: the prefix says dumpflow owns it.
        return new LifecycleMerge(merged, !ours.equals(wantedById));
    }
}
