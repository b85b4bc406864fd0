package dev.dumpflow.functions.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables the sidecar reads, from the "Sidecar" table of {@code
 * docs/configuration.md}: variable name -> its default column.
 */
final class SidecarVariables {

    private static final Pattern NAME = Pattern.compile("`([A-Z][A-Z0-9_]*)`");

    private SidecarVariables() {}

    static Map<String, String> fromDocs(Path configurationMd) {
        List<String> lines;
        try {
            lines = Files.readAllLines(configurationMd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("#")) {
                inSection = line.matches("^##\\s+Sidecar\\b.*");
                continue;
            }
            if (!inSection || !line.startsWith("|") || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.split("\\|");
            if (cells.length < 4) {
                continue;
            }
            String defaultValue = cells[cells.length - 1].trim();
            Matcher names = NAME.matcher(cells[1]);
            while (names.find()) {
                variables.put(names.group(1), defaultValue);
            }
        }
        if (variables.isEmpty()) {
            throw new IllegalStateException(
                    "no Sidecar table with `VARIABLE` names in " + configurationMd);
        }
        return variables;
    }
}
