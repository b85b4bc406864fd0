package dev.dumpflow.functions.archive;

import org.eclipse.microprofile.config.spi.Converter;

/** Reads a count that must be at least 1, failing the start-up otherwise. */
public final class PositiveIntConverter implements Converter<Integer> {

    @Override
    public Integer convert(String value) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "expected a whole number of 1 or more, was " + value);
        }
        if (n < 1) {
            throw new IllegalArgumentException(
                    "expected a whole number of 1 or more, was " + value);
        }
        return n;
    }
}
