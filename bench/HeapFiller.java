import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fills a JVM heap with a mix that looks like a real service's (strings, maps of records, byte
 * buffers, boxed numbers, object arrays), then waits so that a heap dump can be taken. Run with
 * the single-file launcher: {@code java -Xmx6g bench/HeapFiller.java 1024} fills about 1 GiB.
 *
 * <p>It prints {@code READY <pid>} once the heap is filled.
 */
public class HeapFiller {

    record Order(long id, String customer, String sku, double amount, List<String> tags) {}

    static final List<Object> ROOTS = new ArrayList<>();
    static final String JSON = "{\"k\":\"v\",\"n\":1}";

    public static void main(String[] args) throws Exception {
        long targetMiB = args.length > 0 ? Long.parseLong(args[0]) : 256;
        long target = targetMiB << 20;
        Random random = new Random(42);
        Map<Long, Order> orders = new HashMap<>();
        ROOTS.add(orders);
        long id = 0;
        // Garbage from temporaries counts in "used" until a GC; collect before trusting it, so that
        // the live heap, which is what the dump holds, reaches the target.
        while (used() < target || liveAfterGc() < target) {
            for (int i = 0; i < 10_000; i++, id++) {
                List<String> tags = List.of("region-" + (id % 17), "tier-" + (id % 3));
                orders.put(
                        id,
                        new Order(
                                id,
                                "customer-" + random.nextInt(1_000_000),
                                "SKU-" + Long.toHexString(random.nextLong()),
                                random.nextDouble() * 1000,
                                tags));
            }
            // Payload buffers, partly repetitive like JSON or protobuf, partly random.
            byte[] buffer = new byte[64 * 1024];
            for (int i = 0; i < buffer.length; i++) {
                buffer[i] = (byte) (i % 64 < 48 ? JSON.charAt(i % JSON.length()) : random.nextInt());
            }
            ROOTS.add(buffer);
            Object[] cache = new Object[1024];
            for (int i = 0; i < cache.length; i++) {
                cache[i] = Integer.valueOf(random.nextInt());
            }
            ROOTS.add(cache);
        }
        System.out.println("READY " + ProcessHandle.current().pid() + " " + (used() >> 20) + "MiB");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static long liveAfterGc() {
        System.gc();
        return used();
    }

    private static long used() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
