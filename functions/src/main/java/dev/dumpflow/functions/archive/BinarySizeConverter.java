package dev.dumpflow.functions.archive;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Quarkus's {@link MemorySize}, which reads {@code 16M} and {@code 16777216}, also taking the
 * spellings that size settings here have always accepted: {@code 16MiB}, {@code 16MB}, {@code 16
 * M}, in any case; every unit is binary ({@code MB} = {@code MiB}), as in MemorySize. Only the
 * spelling is mapped; MemorySize does the parsing.
 */
public final class BinarySizeConverter implements Converter<MemorySize> {

    private static final Pattern LONG_UNIT =
            Pattern.compile("(?i)^(\\d+)\\s*([kmgt])i?b$|^(\\d+)\\s*([kmgtb])$");
    private static final MemorySizeConverter QUARKUS = new MemorySizeConverter();

    @Override
    public MemorySize convert(String value) {
        var m = LONG_UNIT.matcher(value.strip());
        String spelled =
                !m.matches()
                        ? value
                        : m.group(1) != null ? m.group(1) + m.group(2) : m.group(3) + m.group(4);
        try {
            return QUARKUS.convert(spelled);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "expected a size such as 16MiB, 16M or 16777216, was '" + value + "'", e);
        }
    }
}
