import java.util.ArrayList;
import java.util.List;

/**
 * The demo's victim: a "session cache" that never evicts, in a small heap. It dies of
 * OutOfMemoryError within seconds, and -XX:+HeapDumpOnOutOfMemoryError writes its heap dump
 * into the directory the sidecar watches. Run by bin/local-stack --demo in source-launcher mode.
 */
public class LeakingApp {

    /** What fills the heap; the dump's class histogram should name it. */
    record CachedSession(String id, byte[] payload) {}

    private static final List<CachedSession> CACHE = new ArrayList<>();

    public static void main(String[] args) throws InterruptedException {
        System.out.println("leaking 1 MiB sessions into a " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB heap...");
        for (long n = 0; ; n++) {
            CACHE.add(new CachedSession("session-" + n, new byte[1 << 20]));
            Thread.sleep(20);
        }
    }
}
