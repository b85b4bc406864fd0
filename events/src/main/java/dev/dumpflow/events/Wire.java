package dev.dumpflow.events;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Parses the lower-case JSON names of the contract's enums, with an error that lists them. */
final class Wire {

    private Wire() {}

    static <E extends Enum<E>> E parse(
            Class<E> type, E[] values, String wire, Function<E, String> name) {
        for (E value : values) {
            if (name.apply(value).equals(wire)) {
                return value;
            }
        }
        throw new IllegalArgumentException(
                "'%s' is not a %s; accepted: %s"
                        .formatted(
                                wire,
                                type.getSimpleName(),
                                Arrays.stream(values).map(name).collect(Collectors.joining(", "))));
    }
}
