package dev.dumpflow.functions.retention;

/** Reads the dumpId back from a key that {@code StorageLayout} made, for log lines. */
final class DumpKeys {

    private DumpKeys() {}

    /**
     * The dumpId in {@code .../{dumpId}.{format}.zst} or {@code .../{dumpId}.json}; the file name
     * itself for any other key. A dumpId may hold dots, so only the known suffixes are cut.
     */
    static String dumpIdOf(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (name.endsWith(".json")) {
            return name.substring(0, name.length() - ".json".length());
        }
        if (name.endsWith(".zst")) {
            String withFormat = name.substring(0, name.length() - ".zst".length());
            int dot = withFormat.lastIndexOf('.');
            return dot > 0 ? withFormat.substring(0, dot) : withFormat;
        }
        return name;
    }
}
