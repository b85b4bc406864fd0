package dev.dumpflow.localstack.broker;

import io.cloudevents.CloudEvent;
import io.fabric8.knative.eventing.v1.SubscriptionsAPIFilter;
import io.fabric8.knative.eventing.v1.TriggerFilter;
import io.fabric8.knative.eventing.v1.TriggerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Decides whether an event passes a Trigger's filter, as Knative Eventing does: when the Trigger
 * has {@code filters} (the CloudEvents Subscriptions API dialects {@code exact}, {@code prefix},
 * {@code suffix}, {@code all}, {@code any}, {@code not}), every expression must hold and {@code
 * filter.attributes} is ignored; otherwise every attribute of {@code filter.attributes} must match
 * exactly, except that an empty value matches any non-empty value of that attribute (Knative's
 * {@code TriggerAnyFilter}). No filter at all matches every event.
 */
public final class TriggerMatcher {

    private final TriggerSpec spec;

    private TriggerMatcher(TriggerSpec spec) {
        this.spec = spec;
    }

    /**
     * A matcher for a Trigger's spec.
     *
     * @throws IllegalArgumentException when a filter expression uses no dialect, more than one, or
     *     {@code cesql}, which the local broker does not evaluate
     */
    public static TriggerMatcher of(TriggerSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.getFilters() != null) {
            spec.getFilters().forEach(TriggerMatcher::checkDialect);
        }
        return new TriggerMatcher(spec);
    }

    /** Whether the event passes the Trigger's filter. */
    public boolean matches(CloudEvent event) {
        List<SubscriptionsAPIFilter> filters = spec.getFilters();
        if (filters != null && !filters.isEmpty()) {
            return filters.stream().allMatch(f -> holds(f, event));
        }
        TriggerFilter filter = spec.getFilter();
        if (filter == null || filter.getAttributes() == null) {
            return true;
        }
        return compare(filter.getAttributes(), event, TriggerMatcher::equalsOrAny);
    }

    /**
     * Knative's attributes filter: {@code ""} asks only that the attribute is set and not empty.
     */
    private static boolean equalsOrAny(String actual, String expected) {
        return expected.isEmpty() ? !actual.isEmpty() : actual.equals(expected);
    }

    private static boolean holds(SubscriptionsAPIFilter f, CloudEvent event) {
        if (present(f.getExact())) {
            return compare(f.getExact(), event, String::equals);
        }
        if (present(f.getPrefix())) {
            return compare(f.getPrefix(), event, String::startsWith);
        }
        if (present(f.getSuffix())) {
            return compare(f.getSuffix(), event, String::endsWith);
        }
        if (present(f.getAll())) {
            return f.getAll().stream().allMatch(inner -> holds(inner, event));
        }
        if (present(f.getAny())) {
            return f.getAny().stream().anyMatch(inner -> holds(inner, event));
        }
        return !holds(f.getNot(), event);
    }

    /** An attribute the event lacks never matches, whatever the expected value. */
    private static boolean compare(
            Map<String, String> expected, CloudEvent event, BiPredicate<String, String> test) {
        return expected.entrySet().stream()
                .allMatch(
                        e -> {
                            String actual = EventAttributes.get(event, e.getKey());
                            return actual != null && test.test(actual, e.getValue());
                        });
    }

    /** fabric8's model holds an empty collection for a dialect the manifest leaves out. */
    private static boolean present(Object dialect) {
        return switch (dialect) {
            case null -> false;
            case java.util.Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            default -> true;
        };
    }

    private static void checkDialect(SubscriptionsAPIFilter f) {
        if (f.getCesql() != null && !f.getCesql().isBlank()) {
            throw new IllegalArgumentException(
                    "the cesql filter dialect is not supported by the local broker: "
                            + f.getCesql());
        }
        List<String> dialects = new ArrayList<>();
        if (present(f.getExact())) dialects.add("exact");
        if (present(f.getPrefix())) dialects.add("prefix");
        if (present(f.getSuffix())) dialects.add("suffix");
        if (present(f.getAll())) dialects.add("all");
        if (present(f.getAny())) dialects.add("any");
        if (f.getNot() != null) dialects.add("not");
        if (dialects.size() != 1) {
            throw new IllegalArgumentException(
                    "a filter expression must use exactly one of exact, prefix, suffix, all, any,"
                            + " not; found "
                            + (dialects.isEmpty() ? "none" : String.join(", ", dialects)));
        }
        if (present(f.getAll())) f.getAll().forEach(TriggerMatcher::checkDialect);
        if (present(f.getAny())) f.getAny().forEach(TriggerMatcher::checkDialect);
        if (f.getNot() != null) checkDialect(f.getNot());
    }
}
