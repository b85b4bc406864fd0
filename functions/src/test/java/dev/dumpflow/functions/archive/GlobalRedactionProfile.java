package dev.dumpflow.functions.archive;

import dev.dumpflow.functions.FullStackProfile;
import java.util.HashMap;
import java.util.Map;

/** The full stack with a global policy of {@code primitives} that keeps originals for 3 days. */
public class GlobalRedactionProfile extends FullStackProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("dumpflow.redaction.mode", "primitives");
        overrides.put("dumpflow.redaction.keep-original", "P3D");
        return overrides;
    }
}
