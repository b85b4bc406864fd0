import java.util.ArrayList;
import java.util.List;

/**
 * The demo's victim: a "session cache" that never evicts. It leaks 1 MiB sessions until it dies:
 * of OutOfMemoryError when its heap is smaller than its memory (-XX:+HeapDumpOnOutOfMemoryError
 * then writes its heap dump into the directory the sidecar watches), or by the kernel's OOM kill
 * when its heap may outgrow the container's limit. Run by bin/local-stack --demo in
 * source-launcher mode, and as the image images/build.sh builds for knative/example/.
 *
 * <p>Argument: milliseconds to wait between two sessions (default 20, about 50 MiB/s).
 */
public class LeakingApp {

    /** What fills the heap; the dump's class histogram should name it. */
    record CachedSession(String id, byte[] payload) {}

    private static final List<CachedSession> CACHE = new ArrayList<>();

    public static void main(String[] args) throws InterruptedException {
        long pauseMillis = args.length > 0 ? Long.parseLong(args[0]) : 20;
        System.out.println(
                "leaking a 1 MiB session every "
                        + pauseMillis
                        + " ms into a "
                        + Runtime.getRuntime().maxMemory() / (1 << 20)
                        + " MiB heap...");
        for (long n = 0; ; n++) {
            byte[] payload = new byte[1 << 20];
            // Touch every page, so that the leak is resident memory, not just reserved heap.
            for (int i = 0; i < payload.length; i += 4096) {
                payload[i] = 1;
            }
            CACHE.add(new CachedSession("session-" + n, payload));
            Thread.sleep(pauseMillis);
        }
    }
}
