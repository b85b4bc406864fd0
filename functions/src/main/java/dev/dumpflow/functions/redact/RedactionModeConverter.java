package dev.dumpflow.functions.redact;

import dev.dumpflow.analysis.redact.RedactionMode;
import org.eclipse.microprofile.config.spi.Converter;

/** Reads {@code none}, {@code strings} or {@code primitives}; anything else stops the start-up. */
public final class RedactionModeConverter implements Converter<RedactionMode> {

    @Override
    public RedactionMode convert(String value) {
        return RedactionMode.fromWire(value);
    }
}
