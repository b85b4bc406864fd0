package dev.dumpflow.functions.archive;

import org.eclipse.microprofile.config.spi.Converter;

/** Reads one entry of {@code dumpflow.fetch.allowed-hosts}. */
public final class HostRuleConverter implements Converter<HostRule> {

    @Override
    public HostRule convert(String value) {
        return HostRule.parse(value);
    }
}
